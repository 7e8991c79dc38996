package io.perpetua.core.pipeline;

/**
 * Seeds for the random pipeline tests, as in the engine tests: fresh each run, or fixed with the
 * environment variable PERPETUA_SEED to reproduce a failure (failure messages print the seed).
 */
final class TestSeeds
{
    private TestSeeds()
    {
    }

    static long seed()
    {
        final String fixed = System.getenv("PERPETUA_SEED");
        return fixed != null && !fixed.isBlank() ? Long.parseLong(fixed.trim()) : System.nanoTime();
    }
}
