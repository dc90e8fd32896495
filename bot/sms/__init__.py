"""SMS: who texted (by keyed hash), their number where the booking hand-off needs it, opt-outs, GSM-7 text."""
