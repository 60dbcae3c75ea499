"""The staff web app: health visitors' inbox and the managers' report, its own Sanic process and port."""
