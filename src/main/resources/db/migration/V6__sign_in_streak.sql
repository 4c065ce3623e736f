-- Sign-in streaks for sign-in points: the day (in the member's program time zone) of the last
-- sign-in that earned points, and how many days in a row it continues.
ALTER TABLE contacts
  ADD COLUMN last_sign_in_day date,
  ADD COLUMN sign_in_streak integer NOT NULL DEFAULT 0;
