package io.github.sfnfail.camel.journal;

/**
 * The SQL of the JDBC task journal, for one table prefix: standard statements only, so that one text serves every
 * database the journal is written for.
 */
record JdbcJournalTables(String prefix) {

    String lease() {
        return prefix + "_lease";
    }

    String task() {
        return prefix + "_task";
    }

    String createLease() {
        return "CREATE TABLE IF NOT EXISTS " + lease() + " (worker_id VARCHAR(64) NOT NULL PRIMARY KEY, "
               + "activity_arn VARCHAR(256) NOT NULL, worker_name VARCHAR(80) NOT NULL, lease_until BIGINT NOT NULL)";
    }

    String createTask() {
        return "CREATE TABLE IF NOT EXISTS " + task() + " (token_hash VARCHAR(64) NOT NULL PRIMARY KEY, "
               + "worker_id VARCHAR(64) NOT NULL, token VARCHAR(8192) NOT NULL, since BIGINT NOT NULL)";
    }

    String insertLease() {
        return "INSERT INTO " + lease() + " (worker_id, activity_arn, worker_name, lease_until) VALUES (?, ?, ?, ?)";
    }

    String renewLease() {
        return "UPDATE " + lease() + " SET lease_until = ? WHERE worker_id = ?";
    }

    /** The lapsed workers of an activity, not this one. */
    String lapsed() {
        return "SELECT worker_id, worker_name FROM " + lease() + " WHERE activity_arn = ? AND lease_until < ? "
               + "AND worker_id <> ?";
    }

    /** The claim: only the one whose update finds the lease still lapsed wins it. */
    String claim() {
        return "DELETE FROM " + lease() + " WHERE worker_id = ? AND lease_until < ?";
    }

    String tasksOf() {
        return "SELECT token, since, token_hash FROM " + task() + " WHERE worker_id = ?";
    }

    /** One task of a lapsed worker to the claimer: exactly those the claim read, not one committed after. */
    String moveTask() {
        return "UPDATE " + task() + " SET worker_id = ? WHERE worker_id = ? AND token_hash = ?";
    }

    String insertTask() {
        return "INSERT INTO " + task() + " (token_hash, worker_id, token, since) VALUES (?, ?, ?, ?)";
    }

    String deleteTask() {
        return "DELETE FROM " + task() + " WHERE token_hash = ?";
    }

    String countTasksOf() {
        return "SELECT COUNT(*) FROM " + task() + " WHERE worker_id = ?";
    }

    String endLease() {
        return "DELETE FROM " + lease() + " WHERE worker_id = ?";
    }
}
