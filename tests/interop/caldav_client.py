"""Drives the server with the independent `caldav` Python library (Debian python3-caldav).

Usage: /usr/bin/python3 caldav_client.py BASE_URL EMAIL APP_PASSWORD BEARER_TOKEN CALENDAR_ID
Exits 0 when every step holds; prints one line per step. The REST calls (the other front door) use
`requests`, which python3-caldav depends on.
"""
import datetime
import sys

import caldav
import requests

base, email, app_password, token, calendar_id = sys.argv[1:6]
rest = requests.Session()
rest.headers["authorization"] = f"Bearer {token}"


def step(name):
    print(f"ok - {name}", flush=True)


def rest_entries(start, end):
    res = rest.get(f"{base}/calendars/{calendar_id}/entries", params={"start": start, "end": end, "limit": 500})
    res.raise_for_status()
    return res.json()["items"]


# 1. Discover the calendar from the server root with the email and an app password.
client = caldav.DAVClient(url=base + "/", username=email, password=app_password)
calendars = client.principal().calendars()
calendar = next(c for c in calendars if calendar_id in str(c.url))
step(f"discovered {len(calendars)} calendar(s) from the base URL")

# 2. List a month: the entry made through REST before the script started is there.
month = calendar.date_search(start=datetime.datetime(2026, 12, 1), end=datetime.datetime(2027, 1, 1), expand=False)
summaries = [e.vobject_instance.vevent.summary.value for e in month]
assert "Kick-off" in summaries, summaries
step(f"listed December: {sorted(summaries)}")

# 3. Create a weekly series (Mondays 09:00 Paris, 6 times).
series = calendar.save_event(
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//interop//python-caldav//EN\r\n"
    "BEGIN:VEVENT\r\nUID:py-weekly@example.com\r\nDTSTAMP:20261201T000000Z\r\n"
    "DTSTART;TZID=Europe/Paris:20261207T090000\r\nDTEND;TZID=Europe/Paris:20261207T100000\r\n"
    "SUMMARY:Python weekly\r\nRRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=6\r\n"
    "BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:soon\r\nTRIGGER:-PT10M\r\nEND:VALARM\r\n"
    "END:VEVENT\r\nEND:VCALENDAR\r\n"
)
step(f"created a weekly series at {series.url}")

# 4 and 5. Move the second occurrence to 15:00 and delete the third (EXDATE), in one PUT as clients do.
event = calendar.event_by_uid("py-weekly@example.com")
text = event.data.replace("\r\n", "\n")
assert "VALARM" in text, "the alarm the client wrote must come back"
master_end = text.index("END:VEVENT")
text = (
    text[:master_end]
    + "EXDATE;TZID=Europe/Paris:20261221T090000\n"
    + "END:VEVENT\nBEGIN:VEVENT\nUID:py-weekly@example.com\nDTSTAMP:20261201T000000Z\n"
    + "RECURRENCE-ID;TZID=Europe/Paris:20261214T090000\n"
    + "DTSTART;TZID=Europe/Paris:20261214T150000\nDTEND;TZID=Europe/Paris:20261214T160000\n"
    + "SUMMARY:Python weekly (moved)\n"
    + text[master_end:]
)
event.data = text
event.save()
step("moved one occurrence and deleted another")

# 6. Its own writes are in the REST listing at once.
items = [i for i in rest_entries("2026-12-01T00:00:00Z", "2027-02-01T00:00:00Z") if i["title"].startswith("Python weekly")]
starts = [(i["start"], i["title"]) for i in items]
assert starts == [
    ("2026-12-07T08:00:00.000Z", "Python weekly"),
    ("2026-12-14T14:00:00.000Z", "Python weekly (moved)"),
    ("2026-12-28T08:00:00.000Z", "Python weekly"),
    ("2027-01-04T08:00:00.000Z", "Python weekly"),
    ("2027-01-11T08:00:00.000Z", "Python weekly"),
], starts
step("REST lists the series with the moved occurrence and without the deleted one")

# 7. A change made through REST arrives through sync-collection, and so does a deletion.
synced = calendar.objects_by_sync_token(load_objects=True)
created = rest.post(f"{base}/calendars/{calendar_id}/entries", json={"title": "From REST", "start": "2026-12-09T10:00:00+01:00", "duration": "PT30M"})
assert created.status_code == 201, created.text
kickoff = next(i for i in rest_entries("2026-12-01T00:00:00Z", "2027-01-01T00:00:00Z") if i["title"] == "Kick-off")
assert rest.delete(f"{base}/calendars/{calendar_id}/entries/{kickoff['id']}").status_code == 204
updated, deleted = synced.sync()
updated_summaries = [o.vobject_instance.vevent.summary.value for o in updated]
assert updated_summaries == ["From REST"], updated_summaries
assert [str(o.url).rsplit("/", 1)[-1] for o in deleted] == [f"{kickoff['id']}.ics"], deleted
step("sync-collection brought the REST creation and deletion")

# 8. Deleting the series through CalDAV removes it from REST too.
calendar.event_by_uid("py-weekly@example.com").delete()
assert not [i for i in rest_entries("2026-12-01T00:00:00Z", "2027-02-01T00:00:00Z") if i["title"].startswith("Python weekly")]
step("deleted the series")
print("python-caldav: all steps passed")
