package io.perpetua.core.engine;

/**
 * Seeds for random tests: fresh each run, or fixed with the environment variable PERPETUA_SEED to
 * reproduce a failure (every random test prints its seed in its failure messages).
 */
final class Seeds
{
    private Seeds()
    {
    }

    static long seed()
    {
        final String fixed = System.getenv("PERPETUA_SEED");
        return fixed != null && !fixed.isBlank() ? Long.parseLong(fixed.trim()) : System.nanoTime();
    }
}
