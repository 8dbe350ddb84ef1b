package io.github.sfnfail.camel.activity;

/**
 * What makes an activity worker one in a Camel context: the activity, the worker name its polls give, and the client
 * they go through (the application's client itself, else what tells an account, region and service endpoint apart).
 * Every route on the same key attaches to the same worker and shares its polls and its limits.
 */
record WorkerKey(String activityArn, String workerName, Object clientScope) {
}
