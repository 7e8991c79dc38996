package io.perpetua.node;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static io.perpetua.node.PerpetuaCliTest.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code bench} commands end with their RESULT contract lines and report what they checked. */
class BenchCommandTest
{
    @TempDir
    Path dir;

    /** A small stream in exchange-core's format: two makers, a partial fill, a move, a reduce and a cancel. */
    private Path writeStream(final String name) throws IOException
    {
        final Path file = dir.resolve(name + ".commands.csv.gz");
        try (Writer writer = new OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(file)), StandardCharsets.US_ASCII))
        {
            writer.write("phase,cmd,symbol,uid,orderId,action,orderType,price,size,reservePrice\n");
            writer.write("fill,PLACE,40000,1,1,ASK,GTC,101,10,0\n");
            writer.write("fill,PLACE,40000,2,2,BID,GTC,99,10,200\n");
            writer.write("bench,PLACE,40000,3,3,BID,GTC,101,4,200\n");
            writer.write("bench,MOVE,40000,2,2,,,98,,\n");
            writer.write("bench,REDUCE,40000,1,1,,,,2,\n");
            writer.write("bench,PLACE,40000,4,4,ASK,GTC,105,7,0\n");
            writer.write("bench,CANCEL,40000,4,4,,,,,\n");
            writer.write("bench,PLACE,40000,5,5,BID,IOC,103,1,200\n");
        }
        return file;
    }

    @Test
    void exchangeCoreBenchComparesTheFinalBookWithTheReference() throws IOException
    {
        final Path stream = writeStream("tiny");
        final Path l2 = dir.resolve("out-l2.txt");
        final PerpetuaCliTest.Run noReference = cli("bench", "exchange-core", "--runs", "1", "--no-journal",
            "--workload", stream.toString(), "--l2-out", l2.toString());
        assertEquals(0, noReference.exitCode(), noReference.err());
        assertTrue(noReference.lastLine().matches("RESULT workload=tiny journal=off throughput=\\d+ l2=no-reference"),
            noReference.lastLine());
        final List<String> book = Files.readAllLines(l2);
        // Ask 101: 10 - 4 filled - 2 reduced - 1 by the IOC = 3 left; bid 98 moved from 99.
        assertEquals("ASK 101 3 1", book.get(1));
        assertEquals("BID 98 10 1", book.get(2));
        assertTrue(book.get(0).startsWith("symbol=40000 stateHash="), book.get(0));

        Files.write(dir.resolve("tiny.final-l2.txt"), book);
        final PerpetuaCliTest.Run match = cli("bench", "exchange-core", "--runs", "2", "--single-stage", "--workload",
            stream.toString());
        assertEquals(0, match.exitCode(), match.err());
        assertTrue(match.lastLine().matches("RESULT workload=tiny journal=on throughput=\\d+ l2=match"), match.lastLine());

        Files.write(dir.resolve("tiny.final-l2.txt"), List.of(book.get(0), "ASK 101 4 1", book.get(2)));
        final PerpetuaCliTest.Run mismatch = cli("bench", "exchange-core", "--runs", "1", "--no-journal", "--workload",
            stream.toString());
        assertEquals(PerpetuaCli.EXIT_MISMATCH, mismatch.exitCode());
        assertTrue(mismatch.lastLine().endsWith("l2=mismatch"), mismatch.lastLine());

        final PerpetuaCliTest.Run noWarmup = cli("bench", "exchange-core", "--runs", "1", "--warmups", "0", "--no-journal",
            "--workload", stream.toString());
        assertEquals(PerpetuaCli.EXIT_MISMATCH, noWarmup.exitCode());
        assertTrue(noWarmup.out().stream().noneMatch(line -> line.startsWith("warm-up")), noWarmup.out().toString());
        assertEquals(PerpetuaCli.EXIT_USAGE, cli("bench", "exchange-core", "--warmups", "-1", "--workload", stream.toString())
            .exitCode());
    }

    @Test
    void starkBenchProvesVerifiesAndDetectsTampering()
    {
        final PerpetuaCliTest.Run honest = cli("bench", "stark", "--records", "8");
        assertEquals(0, honest.exitCode(), honest.err());
        assertTrue(honest.lastLine().matches(
            "RESULT stark records=8 preset=P100 prove-ms=\\d+ verify-ms=\\d+ proof-bytes=\\d+ verified=true"), honest.lastLine());
        final PerpetuaCliTest.Run tampered = cli("bench", "stark", "--records", "8", "--tamper");
        assertTrue(tampered.lastLine().endsWith("verified=false"), tampered.lastLine());
        assertEquals(PerpetuaCli.EXIT_USAGE, cli("bench", "stark", "--records", "8", "--preset", "P64").exitCode());
    }
}
