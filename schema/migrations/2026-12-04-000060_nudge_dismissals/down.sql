DROP TABLE nudge_dismissals;
