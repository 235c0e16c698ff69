"""When a schedule fires: parsing what people type (times, weekdays, zones, quiet dates, cron,
holiday calendars), the slot maths that turns a schedule into UTC instants one local date at a
time (DST-correct), the public holidays a slot falls on, the best local hour to post from a
channel's hourly activity, and the slot bookkeeping (markers, channel keys, catch-up plans)
delivery and learning share."""
