"""Teams: one salesperson's rows cut from a team's workbook, and the roll-up of many."""
