"""Mechanical checks for devgold part2 (places/mentions/events CSVs against the article texts).

usage: python3 check_part.py [--uncovered]
"""
import csv, re, sys, os
HERE = os.path.dirname(os.path.abspath(__file__))
TEXTS = '/work/shared/devset/fakes_dev'
SYRIAN_PARENTS = None  # set in main
TYPES = {'battle', 'remote_violence', 'violence_against_civilians', 'protest', 'strategic'}

def load(name):
    with open(os.path.join(HERE, name), newline='', encoding='utf-8') as f:
        return list(csv.DictReader(f))

def text(doc):
    with open(os.path.join(TEXTS, doc + '.txt'), encoding='utf-8') as f:
        return f.read()

def main():
    errs = []
    places = {r['key']: r for r in load('places.csv')}
    global SYRIAN_PARENTS
    SYRIAN_PARENTS = set(places) | {'Syria'} | {r['parent'] for r in places.values() if 'governorate' in r['parent']}
    for k, r in places.items():
        lat, lon = float(r['lat']), float(r['lon'])
        if r['kind'] not in ('country', 'region') and r['parent'] in SYRIAN_PARENTS \
                and not (32.0 <= lat <= 37.5 and 35.5 <= lon <= 42.5):
            errs.append(f'place {k}: outside Syria {lat},{lon}')
        if not re.fullmatch(r'[a-z0-9_]+', k):
            errs.append(f'place key {k} not slug')
    used = set()
    for r in load('mentions.csv'):
        t = text(r['doc'])
        if r['place'] not in places:
            errs.append(f"mention {r['doc']} {r['surface']}: unknown place {r['place']}")
        used.add(r['place'])
        if not re.search(r'(?<!\w)' + re.escape(r['surface']) + r'(?!\w)', t):
            errs.append(f"mention {r['doc']} {r['surface']!r}: not a whole word in text")
        if r['role'] not in ('event', 'dateline', 'context'):
            errs.append(f"mention {r['doc']} {r['surface']}: bad role {r['role']}")
    ids = set()
    evs = load('events.csv')
    for r in evs:
        ids.add(r['id'])
    for r in evs:
        t = text(r['doc'])
        if not r['id'].startswith(r['doc'] + '-'):
            errs.append(f"event {r['id']}: id/doc mismatch")
        if r['place'] not in places:
            errs.append(f"event {r['id']}: unknown place {r['place']}")
        used.add(r['place'])
        if r['evidence'] not in t:
            errs.append(f"event {r['id']}: evidence not verbatim: {r['evidence']!r}")
        if not set(r['types'].split('|')) <= TYPES:
            errs.append(f"event {r['id']}: bad types {r['types']}")
        if r['required'] not in ('yes', 'optional'):
            errs.append(f"event {r['id']}: bad required")
        if not (re.fullmatch(r'\d{4}-\d\d-\d\d', r['date_start']) and re.fullmatch(r'\d{4}-\d\d-\d\d', r['date_end'])
                and r['date_start'] <= r['date_end']):
            errs.append(f"event {r['id']}: bad dates")
        if r['fatalities'] and not r['fatalities'].isdigit():
            errs.append(f"event {r['id']}: bad fatalities")
        for s in filter(None, r['same_as'].split('|')):
            if s not in ids and not s.startswith('fk'):
                errs.append(f"event {r['id']}: same_as {s} unknown")
    for k in places:
        if k not in used:
            errs.append(f'place {k} unused')
    for e in errs:
        print(e)
    print(len(places), 'places', len(load('mentions.csv')), 'mentions', len(evs), 'events;', len(errs), 'problems')
    if '--uncovered' in sys.argv:
        # capitalised tokens not covered by any surface, to catch missed place names
        by = {}
        for r in load('mentions.csv'):
            by.setdefault(r['doc'], []).append(r['surface'])
        for doc in sorted({r['doc'] for r in load('mentions.csv')} | {r['doc'] for r in evs}):
            t = text(doc)
            for s in sorted(by.get(doc, []), key=len, reverse=True):
                t = re.sub(r'(?<!\w)' + re.escape(s) + r'(?!\w)', ' ', t)
            caps = sorted(set(re.findall(r"\b(?:al-|Al-|el-)?[A-Z][\w'-]+", t)))
            print(doc, ' '.join(caps))

if __name__ == '__main__':
    main()
