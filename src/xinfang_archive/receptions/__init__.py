"""领导信访接待日: the rules, schedule and filing of leaders\x27 reception days."""
