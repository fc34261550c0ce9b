"""Mechanical checks of the part1 dev gold against the article texts.

Run: python3 tests/devgold/part1/check_part.py [--hints]
Checks: every surface occurs as a whole word in its doc; every evidence phrase is a verbatim
substring; every place key exists; ids/types/dates/required well-formed; Syrian places inside
Syria's bounding box. --hints also lists gazetteer names found in a text that no surface covers
(candidates for missed mentions; many are false alarms).
"""
import csv, re, sys, os, datetime
HERE = os.path.dirname(os.path.abspath(__file__))
TXT = '/work/shared/devset/fakes_dev/'
TYPES = {'battle', 'remote_violence', 'violence_against_civilians', 'protest', 'strategic'}
def rd(n): return list(csv.DictReader(open(os.path.join(HERE, n), newline='', encoding='utf-8')))
places = {r['key']: r for r in rd('places.csv')}
mentions = rd('mentions.csv'); events = rd('events.csv')
texts = {}
def text(d):
    if d not in texts: texts[d] = open(TXT + d + '.txt', encoding='utf-8').read()
    return texts[d]
def ww(s): return re.compile(r'(?<![\w])' + re.escape(s) + r'(?![\w])')
err = []
for r in places.values():
    lat, lon = float(r['lat']), float(r['lon'])
    syr = r['kind'] not in ('country', 'continent') and r['parent'] not in ('Lebanon', 'Turkey', 'Iraq', 'Russia', 'United Kingdom', 'Jordan', 'Iran', 'Israel', 'United States', 'Switzerland', 'Palestine')
    if syr and not (32.3 <= lat <= 37.4 and 35.6 <= lon <= 42.5): err.append(f'place {r["key"]} outside Syria box')
    float(r['tolerance_km'])
seen = set()
for m in mentions:
    if m['place'] not in places: err.append(f'mention {m["doc"]} {m["surface"]}: unknown place {m["place"]}')
    if not ww(m['surface']).search(text(m['doc'])): err.append(f'mention {m["doc"]} {m["surface"]!r} not found as whole word')
    if m['role'] not in ('event', 'dateline', 'context'): err.append(f'mention {m["doc"]} bad role')
    if (m['doc'], m['surface']) in seen: err.append(f'duplicate mention {m["doc"]} {m["surface"]}')
    seen.add((m['doc'], m['surface']))
ids = set()
for e in events:
    if e['id'] in ids: err.append('dup id ' + e['id'])
    ids.add(e['id'])
    if not e['id'].startswith(e['doc'] + '-'): err.append('bad id ' + e['id'])
    if e['required'] not in ('yes', 'optional'): err.append('bad required ' + e['id'])
    if not e['types'] or set(e['types'].split('|')) - TYPES: err.append('bad types ' + e['id'])
    a = datetime.date.fromisoformat(e['date_start']); b = datetime.date.fromisoformat(e['date_end'])
    if b < a: err.append('date order ' + e['id'])
    if e['place'] not in places: err.append(f'event {e["id"]} unknown place {e["place"]}')
    if e['fatalities'] and not e['fatalities'].isdigit(): err.append('bad fatalities ' + e['id'])
    if e['evidence'] not in text(e['doc']): err.append(f'event {e["id"]} evidence not verbatim: {e["evidence"]!r}')
    evplaces = {m['place'] for m in mentions if m['doc'] == e['doc']}
    if e['place'] not in evplaces: print('note: event', e['id'], 'place', e['place'], 'has no mention in doc')
for e in events:
    for s in filter(None, e['same_as'].split('|')):
        if s not in ids: print('note: same_as', s, 'not in part1 ids (may be part2 / corpus)')
print('\n'.join(err) if err else 'OK: no errors')
if '--hints' in sys.argv:
    G = '/work/main/gazetteer/'
    names = {r['name'] for r in csv.DictReader(open(G + 'places.csv'))} | {r['name'] for r in csv.DictReader(open(G + 'names.csv'))}
    names = {n for n in names if len(n) >= 4 and n[0].isupper() and n.isascii()}
    for d in sorted({m['doc'] for m in mentions} | {e['doc'] for e in events}):
        t = text(d); surf = [m['surface'] for m in mentions if m['doc'] == d]
        covered = [(mm.start(), mm.end()) for s in surf for mm in ww(s).finditer(t)]
        miss = set()
        for n in names:
            for mm in ww(n).finditer(t):
                if not any(a <= mm.start() and mm.end() <= b for a, b in covered): miss.add(n)
        if miss: print('hint', d, sorted(miss))
