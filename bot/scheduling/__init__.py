"""When a schedule fires: parsing what people type (times, weekdays, zones, quiet dates, cron),
the slot maths that turns a schedule into UTC instants one local date at a time (DST-correct),
and the slot bookkeeping (markers, channel keys, catch-up plans) delivery and learning share."""
