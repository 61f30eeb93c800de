"""The one place that imports SpiffWorkflow: loading BPMN files safely, running an instance, storing its state."""
