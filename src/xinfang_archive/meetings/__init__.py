"""会议: coordination meetings (信访联席会议, 信访协调会, 领导小组会议) and
their decisions on cases."""
