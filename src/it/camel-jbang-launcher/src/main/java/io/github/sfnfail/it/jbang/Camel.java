package io.github.sfnfail.it.jbang;

import org.apache.camel.dsl.jbang.core.commands.CamelJBangMain;

/** What the `camel` launcher script runs (CamelJBang.java, installed with `jbang app install camel@apache/camel`). */
public final class Camel {

    private Camel() {
    }

    public static void main(String... args) {
        CamelJBangMain.run(args);
    }
}
