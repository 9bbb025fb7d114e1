"""The web UI of the plans area, split by action: the worklist and inbox, the mapping, the action plan."""
