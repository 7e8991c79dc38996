package io.perpetua.risk.oracle;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static io.perpetua.risk.oracle.OracleFixture.MILLI;
import static io.perpetua.risk.oracle.OracleFixture.T0;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A seeded stream of oracle commands, good and bad, applied as the core would: replaying it gives the same
 * verdicts and state, and so does restoring a snapshot taken part-way and replaying the rest.
 */
class OracleReplayTest
{
    private final OracleConfig config = OracleFixture.config();

    @Test
    void replayAndSnapshotRestoreReproduceEveryVerdictAndTheState()
    {
        final long seed = OracleFixture.seed();
        final List<Command> commands = commands(new SplittableRandom(seed), 120);

        final OracleState live = OracleState.forConfig(config);
        final List<String> liveVerdicts = apply(live, commands);
        final OracleState replayed = OracleState.forConfig(config);
        assertEquals(liveVerdicts, apply(replayed, commands), "seed " + seed);
        assertArrayEquals(fields(live), fields(replayed), "seed " + seed);

        final int cut = new SplittableRandom(seed ^ 1).nextInt(commands.size());
        final OracleState beforeCut = OracleState.forConfig(config);
        final List<String> restoredVerdicts = new ArrayList<>(apply(beforeCut, commands.subList(0, cut)));
        final long[] snapshot = new long[beforeCut.fieldCount()];
        beforeCut.writeTo(snapshot, 0);
        final OracleState restored = OracleState.forConfig(config);
        restored.readFrom(snapshot, 0);
        restoredVerdicts.addAll(apply(restored, commands.subList(cut, commands.size())));
        assertEquals(liveVerdicts, restoredVerdicts, "seed " + seed + " cut " + cut);
        assertArrayEquals(fields(live), fields(restored), "seed " + seed + " cut " + cut);

        final long acceptedCount = liveVerdicts.stream().filter(verdict -> verdict.startsWith("ACCEPTED")).count();
        assertTrue(acceptedCount > 10 && acceptedCount < commands.size(), "a mix of accepts and rejects; seed " + seed);
    }

    private List<String> apply(final OracleState state, final List<Command> commands)
    {
        final OracleVerifier verifier = new OracleVerifier();
        final List<String> verdicts = new ArrayList<>();
        for (final Command command : commands)
        {
            final OracleVerdict verdict = verifier.verify(config, state, command.timeNs, command.observations);
            if (verdict == OracleVerdict.ACCEPTED)
            {
                state.accept(command.timeNs, verifier.medianPriceTicks(), command.observations);
            }
            verdicts.add(verdict + " " + verifier.medianPriceTicks() + " " + verifier.offendingObservation());
        }
        return verdicts;
    }

    /** Mostly fresh sets around a drifting price, with replays, stale, future, spiking and forged ones. */
    private static List<Command> commands(final SplittableRandom random, final int count)
    {
        final List<Command> commands = new ArrayList<>();
        final List<OracleFixture.Observations> sent = new ArrayList<>();
        long timeNs = T0;
        long priceTicks = 1_000_000;
        for (int i = 0; i < count; i++)
        {
            timeNs += 1 + random.nextLong(800 * MILLI);
            priceTicks += random.nextLong(-20_000, 20_001);
            final int kind = random.nextInt(10);
            final OracleFixture.Observations set;
            if (kind == 0 && !sent.isEmpty())
            {
                set = sent.get(random.nextInt(sent.size())); // replay an earlier command
            }
            else
            {
                set = new OracleFixture.Observations();
                final int size = 2 + random.nextInt(4);
                final int first = random.nextInt(5);
                for (int j = 0; j < size; j++)
                {
                    final long observedNs = switch (kind)
                    {
                        case 1 -> timeNs - 11_000 * MILLI;
                        case 2 -> timeNs + 2_000 * MILLI;
                        default -> timeNs - random.nextLong(500 * MILLI);
                    };
                    final long observedPrice = kind == 3 ? priceTicks * 2 : priceTicks + random.nextLong(-500, 501);
                    final int source = (first + j) % 5;
                    if (kind == 4 && j == 1)
                    {
                        set.add(source, observedPrice, observedNs, new byte[64]);
                    }
                    else
                    {
                        set.signedBy(source, observedPrice, observedNs);
                    }
                }
                sent.add(set);
            }
            commands.add(new Command(timeNs, set));
        }
        return commands;
    }

    private static long[] fields(final OracleState state)
    {
        final long[] fields = new long[state.fieldCount()];
        Arrays.setAll(fields, state::field);
        return fields;
    }

    private record Command(long timeNs, OracleFixture.Observations observations)
    {
    }
}
