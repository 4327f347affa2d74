#!/usr/bin/env python3
"""End to end against a real PostgreSQL 15 + pgaudit (issue 5 acceptance).

Runs the test bed (tools/pgbed) at a small size with every insider scenario, then
`inari hunt --db-config` over the server's log in each of its three formats, and asserts:
  * the bulk insider gets a HIGH finding before 1,000 customer records are read;
  * the slow-and-low insider gets a HIGH finding within 3 days of starting;
  * the export and the service-account misuse get HIGH findings;
  * the benign heavy day raises no HIGH finding for that agent that day;
  * the three log formats give the same findings.
Scoring is bench/insider_eval/run.py's evaluate().
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, 'bench', 'insider_eval'))
import run as insider_eval  # noqa: E402


def main():
    inari = sys.argv[1]
    work = tempfile.mkdtemp(prefix='inari-dbbed-')
    failures = []
    try:
        out = os.path.join(work, 'bed')
        subprocess.run(['/usr/bin/python3', os.path.join(ROOT, 'tools', 'pgbed', 'pgbed.py'), 'run', '--out', out,
                        '--seed', '7', '--customers', '20000', '--agents', '12', '--days', '14'],
                       check=True, stdout=subprocess.DEVNULL)
        cfg = os.path.join(out, 'inari-crm.yml')
        with open(cfg, 'w') as fh:
            fh.write(f"people_file: {os.path.join(out, 'staff.csv')}\n")
            fh.write(open(os.path.join(ROOT, 'bench', 'insider_eval', 'crm.yml')).read().replace('warmup: 5d', 'warmup: 3d'))
        per_format = {}
        for fmt in ('postgresql.csv', 'postgresql.log', 'postgresql.json'):
            risk_path = os.path.join(out, f'risk-{fmt}.json')
            p = subprocess.run([inari, 'hunt', '--quiet', '--no-rules', '--db-config', cfg, '--format', 'jsonl', '-o',
                                os.devnull, '--risk-json', risk_path, os.path.join(out, fmt)],
                               capture_output=True, text=True)
            if p.returncode not in (0, 1):
                failures.append(f'{fmt}: inari hunt exited {p.returncode}: {p.stderr[-500:]}')
                continue
            risk = json.load(open(risk_path))
            rows, fa = insider_eval.evaluate(out, risk)
            per_format[fmt] = sorted((f['code'], f['user'], f['time'][:19]) for f in risk['findings'])
            by = {r['scenario']: r for r in rows}
            print(fmt, json.dumps(rows, indent=None), json.dumps(fa))
            b = by.get('bulk_paging')
            if not b or not b['detected'] or b['customers_read_before_alert'] >= 1000:
                failures.append(f'{fmt}: bulk insider not alerted before 1,000 records: {b}')
            s = by.get('slow_and_low')
            if not s or not s['detected'] or s['days_to_alert'] > 3:
                failures.append(f'{fmt}: slow-and-low not alerted within 3 days: {s}')
            for sid in ('export', 'service_account_misuse'):
                if sid in by and not by[sid]['detected']:
                    failures.append(f'{fmt}: {sid} not detected')
            h = by.get('benign_heavy_day')
            if h and h['high_that_day'] > 0:
                failures.append(f'{fmt}: benign heavy day raised {h["high_that_day"]} HIGH findings')
        formats = list(per_format.values())
        if len(formats) == 3 and not (formats[0] == formats[1] == formats[2]):
            failures.append('the three log formats gave different findings')
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for f in failures:
        print('FAIL:', f)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
