"""What runs every change to a process instance: the step pipeline, the workflows kept between steps,
the read views, and every process-wide cache."""
