"""From draft to decision: posts, their channels' rules, photos, the workflow of review, the
approval queue, an author's own posts, the calendar, content-plan imports."""
