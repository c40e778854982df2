"""Reports: borough and partnership dashboards and exports."""
