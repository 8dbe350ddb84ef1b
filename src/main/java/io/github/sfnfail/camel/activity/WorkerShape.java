package io.github.sfnfail.camel.activity;

/**
 * The options that shape a worker's polls and capacity: every route attached to one worker at the same time must give
 * the same, and a route that attaches when no other is attached (a reload) brings its own.
 *
 * @param fewestPollers     the long polls kept open at least while there is room for their tasks
 * @param mostPollers       the long polls open at most, when polls keep bringing tasks
 * @param maxTasks          how many tasks may be in hand at once, open polls included (each may bring one)
 * @param clientConnections the connections taken for a client from the registry
 */
record WorkerShape(int fewestPollers, int mostPollers, int maxTasks, int clientConnections) {

    /** The first option in which the other shape differs, in words ("maxConcurrentTasks 50 and 10"), or null. */
    String differenceFrom(WorkerShape other) {
        if (fewestPollers != other.fewestPollers) {
            return "concurrentPollers " + fewestPollers + " and " + other.fewestPollers;
        }
        if (mostPollers != other.mostPollers) {
            return "maxConcurrentPollers " + mostPollers + " and " + other.mostPollers;
        }
        if (maxTasks != other.maxTasks) {
            return "maxConcurrentTasks " + maxTasks + " and " + other.maxTasks;
        }
        if (clientConnections != other.clientConnections) {
            return "clientConnections " + clientConnections + " and " + other.clientConnections;
        }
        return null;
    }
}
