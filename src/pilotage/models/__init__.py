"""Statistical models: estimators with fit/predict, and analysis functions over summary data."""
