"""Assembly: plain Python over the layers' mentions, from cues to the ProjectRecord."""
