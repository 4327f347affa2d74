#!/usr/bin/env python3
"""Coverage of the lateral-movement samples in ../shared/data by inari's rules and analytics.

For every lateral-movement / remote-access sample (EVTX-to-MITRE-Attack TA0008 and
related files, DeepBlueCLI PsExec, Velociraptor's RDP logs, OTRF PsExec/SMB/RDP
datasets) this runs `inari hunt` with inari's own rules and the analytics at
--warmup 0 (a triage of one incident's logs has no history to learn from) and
reports, per file:

  involved  accounts and hosts named by the file's lateral-movement events
            (4624, 4625, 4648, 4776, 5140/5142/5145, 7045/4697, RDP 1149/21/25, 4778)
  covered   those of them that received rule or analytics evidence (risk contributions)
  rules / findings  detections by inari's rules and analytics findings (reason codes)

The test fails if a sample with lateral-movement events gets no evidence on any
involved entity. The table is written to --report (Markdown) and stdout.
"""
import argparse
import glob
import json
import os
import subprocess
import sys
import tempfile

LATERAL_IDS = {4624, 4625, 4648, 4776, 5140, 5145, 5142, 7045, 4697, 4778}
RDP_IDS = {1149: 'RemoteConnectionManager', 21: 'LocalSessionManager', 25: 'LocalSessionManager'}
USER_FIELDS = ('TargetUserName', 'SubjectUserName', 'User', 'AccountName', 'Param1')
SKIP_USERS = {'', '-', 'system', 'anonymous logon', 'local service', 'network service'}

SAMPLES = [
    'evtx/EVTX-to-MITRE-Attack/TA0008-Lateral Movement/**/*.evtx',
    'evtx/EVTX-to-MITRE-Attack/EVTX_full_APT_attack_steps/*psexec*.evtx',
    'evtx/EVTX-to-MITRE-Attack/EVTX_full_APT_attack_steps/*SMB*.evtx',
    'evtx/EVTX-to-MITRE-Attack/EVTX_full_APT_attack_steps/*ATexec*.evtx',
    'evtx/EVTX-to-MITRE-Attack/TA0001-Initial access/T1078-Valid accounts/*RDP*.evtx',
    'evtx/EVTX-to-MITRE-Attack/TA0003-Persistence/T1543.003-Create or Modify System Process-Windows Service/*.evtx',
    'evtx/DeepBlueCLI/evtx/*psexec*.evtx',
    'evtx/velociraptor-rdp/artifacts/testdata/files/*.evtx',
    'json/otrf/datasets/atomic/windows/credential_access/host/cmd_psexec_lsa_secrets_dump.zip',
    'json/otrf/datasets/atomic/windows/credential_access/host/rdp_interactive_taskmanager_lsass_dump.zip',
    'json/otrf/datasets/atomic/windows/discovery/host/empire_find_localadmin_smb_svcctl_OpenSCManager.zip',
]


def norm_user(v):
    v = str(v)
    if '\\' in v:
        v = v.split('\\', 1)[1]
    v = v.split('@')[0].lower()
    return '' if v in SKIP_USERS or v.endswith('$') or v.startswith(('dwm-', 'umfd-')) else v


def norm_host(v):
    v = str(v).lower().lstrip('\\')
    if not v or v in ('-', 'localhost'):
        return ''
    if all(c.isdigit() or c == '.' for c in v) or ':' in v:
        return v
    return v.split('.')[0]


def involved(inari, path):
    users, hosts, n = set(), set(), 0
    out = subprocess.run([inari, 'dump', '--quiet', path], capture_output=True, text=True)
    for line in out.stdout.splitlines():
        try:
            e = json.loads(line)
        except ValueError:
            continue
        eid = e.get('EventID')
        if eid not in LATERAL_IDS and not (eid in RDP_IDS and RDP_IDS[eid] in str(e.get('Channel', ''))):
            continue
        if eid == 7045 and e.get('Provider_Name') != 'Service Control Manager':
            continue
        n += 1
        h = norm_host(e.get('Computer', ''))
        if h:
            hosts.add(h)
        for f in USER_FIELDS:
            if f == 'Param1' and 'RemoteConnectionManager' not in str(e.get('Channel', '')):
                continue
            vals = e.get(f)
            for v in vals if isinstance(vals, list) else [vals]:
                if v is not None and norm_user(v):
                    users.add(norm_user(v))
    return n, users, hosts


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--inari', required=True)
    ap.add_argument('--data', required=True)
    ap.add_argument('--report', default='')
    args = ap.parse_args()
    files = []
    for g in SAMPLES:
        files += sorted(glob.glob(os.path.join(args.data, g), recursive=True))
    if not files:
        print('no samples found under', args.data)
        return 1
    rows, failed = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for path in files:
            n, users, hosts = involved(args.inari, path)
            risk_path = os.path.join(tmp, 'risk.json')
            summary = subprocess.run([args.inari, 'hunt', '--quiet', '--warmup', '0', '--format', 'jsonl', '-o',
                                      os.devnull, '--summary', 'json', '--risk-json', risk_path, path],
                                     capture_output=True, text=True)
            s = json.loads(summary.stdout.strip().splitlines()[-1])
            risk = json.load(open(risk_path))
            got_users = {e['name'] for e in risk['users']}
            got_hosts = {e['name'] for e in risk['hosts']}
            cu, ch = users & got_users, hosts & got_hosts
            codes = sorted({f['code'] for f in risk['findings']})
            rel = os.path.relpath(path, args.data)
            rows.append((rel, s['events'], n, len(users | hosts), len(cu | ch), s['detections'] - len(risk['findings']),
                         len(risk['findings']), codes, sorted(cu), sorted(ch)))
            if n > 0 and not (cu or ch):
                failed.append(rel)
    lines = ['| sample | events | lateral events | involved | covered | rule detections | findings | reason codes | covered accounts | covered hosts |',
             '|---|---:|---:|---:|---:|---:|---:|---|---|---|']
    for r in rows:
        lines.append(f'| {r[0]} | {r[1]} | {r[2]} | {r[3]} | {r[4]} | {r[5]} | {r[6]} | {" ".join(r[7])} | '
                     f'{" ".join(r[8][:6])} | {" ".join(r[9][:6])} |')
    with_lateral = [r for r in rows if r[2] > 0]
    covered = [r for r in with_lateral if r[4] > 0]
    lines.append('')
    lines.append(f'{len(covered)}/{len(with_lateral)} samples with lateral-movement events have evidence on an '
                 f'involved account or host; {sum(r[4] for r in rows)}/{sum(r[3] for r in rows)} involved entities covered.')
    text = '\n'.join(lines)
    print(text)
    if args.report:
        open(args.report, 'w').write(text + '\n')
    for f in failed:
        print('NOT COVERED:', f)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
