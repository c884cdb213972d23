"""Cross-check driver: public holidays from python-holidays (Debian python3-holidays).

stdin:  [{"country": "DE", "subdiv": "BY", "years": [2020, ...]}, ...]
stdout: [["2020-01-01", ...], ...] sorted dates per request
"""
import json
import sys

import holidays


def dates(request):
    kwargs = {"years": request["years"]}
    subdiv = request.get("subdiv")
    if subdiv:
        # python-holidays < 0.14 calls the subdivision "prov" (DE, IT) or "state" (US).
        kwargs["state" if request["country"] == "US" else "prov"] = subdiv
    calendar = holidays.CountryHoliday(request["country"], **kwargs)
    return sorted(d.isoformat() for d in calendar.keys())


print(json.dumps([dates(r) for r in json.load(sys.stdin)]))
