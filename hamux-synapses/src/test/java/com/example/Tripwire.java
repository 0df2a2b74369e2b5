package com.example;

/**
 * Not a synapse. Its static initializer sets the system property {@code com.example.Tripwire}, so a
 * test can check that naming it in a spec never runs its code.
 */
public class Tripwire {

    static {
        System.setProperty("com.example.Tripwire", "initialized");
    }
}
