"""Analytics logic without transport or storage: report rows, percentiles, trends."""
