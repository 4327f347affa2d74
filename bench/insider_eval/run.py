#!/usr/bin/env python3
"""Question: how early does inari catch the insiders at the customer database, and how often
does it cry wolf on ordinary support work?

For each seed this runs the real PostgreSQL 15 + pgaudit test bed (tools/pgbed: a customer
database, dozens of support agents working through a parameterized portal over weeks, and the
insider scenarios of issue 5: bulk paging in DBeaver, slow-and-low through the portal, an
export with \\copy, a service account used from a workstation, and a benign heavy incident day),
then `inari hunt --db-config` over the server's own log (each of the three formats) and scores
the findings against ground_truth.json:

  * detection: the first HIGH finding (points >= 40) naming the scenario's person (or one of
    its database users / clients) at or after the scenario's start;
  * delay: customers the insider had read when that finding's statement ran (from
    gt/<scenario>.statements.csv, cumulative_customers), and the time since the start;
  * benign heavy day: must raise no HIGH finding for that person that day;
  * false alerts: HIGH findings naming anyone not in a malicious scenario, per 100 agent-days
    (ground_truth.json agent_days), and medium ones for reference.

Targets (issue 5): bulk insider alerted before 1,000 customers read; slow-and-low within 3 days;
no high-severity alert for the heavy day.

Usage: bench/insider_eval/run.py [--seeds 1,2] [--customers 100000] [--agents 40] [--days 30]
       [--inari build/src/cli/inari] [--keep DIR] [--json out.json]
"""
import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime, timezone

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HIGH = 40


def ts(s):
    s = s.rstrip('Z')
    if '.' in s:
        head, frac = s.split('.')
        s = head + '.' + (frac + '000000')[:6]
        return datetime.strptime(s, '%Y-%m-%dT%H:%M:%S.%f').replace(tzinfo=timezone.utc)
    return datetime.strptime(s, '%Y-%m-%dT%H:%M:%S').replace(tzinfo=timezone.utc)


def evaluate(out, risk):
    gt = json.load(open(os.path.join(out, 'ground_truth.json')))
    findings = [dict(f, t=ts(f['time'])) for f in risk['findings']]
    people = {}
    for p in gt['people']:
        people[p['person']] = p
    malicious_people = {s['subject']['person'] for s in gt['scenarios'] if s['malicious']}
    rows = []
    for s in gt['scenarios']:
        subj = s['subject']
        names = {subj['person']} | {u for u in subj.get('db_users', []) if u != 'support_app'}
        if subj.get('portal_login'):
            names.add(subj['portal_login'])
        clients = set(subj.get('clients', []))
        start, end = ts(s['start']), ts(s['end'])
        mine = [f for f in findings if f['t'] >= start and (f['user'] in names or
                (s['id'] == 'service_account_misuse' and f['host'] in clients))]
        high = [f for f in mine if f['points'] >= HIGH]
        first = min(high, key=lambda f: f['t']) if high else None
        read_before = None
        if first is not None:
            read_before = 0
            with open(os.path.join(out, 'gt', f"{s['id']}.statements.csv")) as fh:
                for r in csv.DictReader(fh):
                    if ts(r['time']) <= first['t']:
                        read_before = int(r['cumulative_customers'])
        row = {'scenario': s['id'], 'malicious': s['malicious'], 'customers': s['customers']['count'],
               'high_findings': len(high), 'findings': len(mine)}
        if s['malicious']:
            row.update(detected=first is not None,
                       customers_read_before_alert=read_before,
                       hours_to_alert=round((first['t'] - start).total_seconds() / 3600, 2) if first else None,
                       days_to_alert=round((first['t'] - start).total_seconds() / 86400, 2) if first else None,
                       by=first['code'] if first else None)
        else:
            day = start.date()
            row.update(high_that_day=sum(1 for f in high if f['t'].date() == day),
                       medium_that_day=sum(1 for f in mine if f['t'].date() == day and f['points'] < HIGH),
                       codes=sorted({f['code'] for f in mine}))
        rows.append(row)
    agent_days = sum(1 for d in gt['agent_days'] if not d.get('weekend'))
    mal_names = set()
    for s in gt['scenarios']:
        if s['malicious']:
            subj = s['subject']
            mal_names |= {subj['person']} | {u for u in subj.get('db_users', []) if u != 'support_app'}
            if subj.get('portal_login'):
                mal_names.add(subj['portal_login'])
    benign = [f for f in findings if f['user'] not in mal_names and not any(
        f['host'] in s['subject'].get('clients', []) and s['id'] == 'service_account_misuse' for s in gt['scenarios'])]
    fa_high = [f for f in benign if f['points'] >= HIGH]
    fa_med = [f for f in benign if f['points'] < HIGH]
    return rows, {
        'agent_days': agent_days,
        'false_high': len(fa_high), 'false_medium_or_low': len(fa_med),
        'false_high_per_100_agent_days': round(100.0 * len(fa_high) / max(1, agent_days), 3),
        'false_medium_per_100_agent_days': round(100.0 * len(fa_med) / max(1, agent_days), 3),
        'false_high_examples': [f"{f['time'][:16]} {f['code']} {f['user']}" for f in fa_high[:6]],
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--seeds', default='1')
    ap.add_argument('--customers', default='100000')
    ap.add_argument('--agents', default='40')
    ap.add_argument('--days', default='30')
    ap.add_argument('--inari', default=os.path.join(ROOT, 'build', 'src', 'cli', 'inari'))
    ap.add_argument('--keep', default='')
    ap.add_argument('--json', default='')
    ap.add_argument('--formats', default='postgresql.csv,postgresql.log,postgresql.json')
    args = ap.parse_args()
    work = args.keep or tempfile.mkdtemp(prefix='inari-insider-')
    results = []
    for seed in args.seeds.split(','):
        out = os.path.join(work, f'bed-{seed}')
        if not os.path.exists(os.path.join(out, 'ground_truth.json')):
            shutil.rmtree(out, ignore_errors=True)
            subprocess.run(['/usr/bin/python3', os.path.join(ROOT, 'tools', 'pgbed', 'pgbed.py'), 'run', '--out', out,
                            '--seed', seed, '--customers', args.customers, '--agents', args.agents, '--days', args.days],
                           check=True, stdout=subprocess.DEVNULL)
        cfg = os.path.join(out, 'inari-crm.yml')
        with open(cfg, 'w') as fh:
            fh.write(f"people_file: {os.path.join(out, 'staff.csv')}\n")
            fh.write(open(os.path.join(ROOT, 'bench', 'insider_eval', 'crm.yml')).read())
        for fmt in args.formats.split(','):
            risk_path = os.path.join(out, f'risk-{fmt}.json')
            p = subprocess.run([args.inari, 'hunt', '--quiet', '--no-rules', '--db-config', cfg, '--format', 'jsonl',
                                '-o', os.devnull, '--summary', 'json', '--risk-json', risk_path,
                                os.path.join(out, fmt)], capture_output=True, text=True)
            if p.returncode not in (0, 1):
                print(p.stderr, file=sys.stderr)
                sys.exit(1)
            summary = json.loads(p.stdout.strip().splitlines()[-1])
            risk = json.load(open(risk_path))
            rows, fa = evaluate(out, risk)
            results.append({'seed': seed, 'format': fmt, 'events': summary['events'], 'seconds': summary['seconds'],
                            'scenarios': rows, **fa})
            print(f"seed {seed}  {fmt:<16} {summary['events']:>8} events  agent-days {fa['agent_days']}  "
                  f"false HIGH/100 agent-days {fa['false_high_per_100_agent_days']}  "
                  f"medium+low/100 {fa['false_medium_per_100_agent_days']}")
            for r in rows:
                if r['malicious']:
                    print(f"    {r['scenario']:<24} {'detected' if r['detected'] else 'MISSED':<9} "
                          f"after {r['customers_read_before_alert']} of {r['customers']} customers, "
                          f"{r['hours_to_alert']} h ({r['by']})")
                else:
                    print(f"    {r['scenario']:<24} high that day: {r['high_that_day']}, medium/low: "
                          f"{r['medium_that_day']} {r['codes']}")
            for e in fa['false_high_examples']:
                print(f"    false HIGH: {e}")
    if args.json:
        json.dump(results, open(args.json, 'w'), indent=1)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    main()
