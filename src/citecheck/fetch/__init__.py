"""The only network code: session, private-address guard, resolver, limits, scheduler."""
