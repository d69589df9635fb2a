"""Page bytes become PageMetadata: titles, dates, site names, text; soft 404s and walls."""
