package io.perpetua.gateway;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs the Node.js side of the ccxt and browser tests: installs the pinned ccxt when needed and
 * starts scripts from {@code src/test/node} (or another folder), their stdout read line by line and
 * lines written to their stdin. A machine without node or npm fails the test with a message saying
 * so; it is never skipped.
 */
final class NodeScript implements AutoCloseable
{
    static final Path DIRECTORY = Path.of("src", "test", "node").toAbsolutePath();

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuffer stderr = new StringBuffer();

    private NodeScript(final Process process)
    {
        this.process = process;
        pump(process.getInputStream(), true);
        pump(process.getErrorStream(), false);
    }

    /** Runs {@code install.sh} (npm ci from the committed package-lock.json if ccxt is missing). */
    static void installCcxt() throws IOException, InterruptedException
    {
        if (!Files.isRegularFile(DIRECTORY.resolve("package-lock.json")))
        {
            throw new AssertionError("no package-lock.json in " + DIRECTORY + " (run the test from the gateway module)");
        }
        final Process install = new ProcessBuilder("bash", DIRECTORY.resolve("install.sh").toString())
            .redirectErrorStream(true).start();
        final String output = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!install.waitFor(10, TimeUnit.MINUTES))
        {
            install.destroyForcibly();
            throw new AssertionError("installing ccxt took more than 10 minutes:\n" + output);
        }
        if (install.exitValue() != 0)
        {
            throw new AssertionError("cannot install ccxt for the ccxt test (exit " + install.exitValue() + "): " +
                "node 20+ and npm must be installed and the npm registry reachable.\n" + output);
        }
    }

    static NodeScript start(final String script, final List<String> arguments) throws IOException
    {
        return start(DIRECTORY, script, arguments);
    }

    /** Starts {@code script} of {@code directory}, which is also its working directory. */
    static NodeScript start(final Path directory, final String script, final List<String> arguments) throws IOException
    {
        final List<String> command = new java.util.ArrayList<>(List.of("node", directory.resolve(script).toString()));
        command.addAll(arguments);
        try
        {
            return new NodeScript(new ProcessBuilder(command).directory(directory.toFile()).start());
        }
        catch (final IOException ex)
        {
            throw new AssertionError("cannot start node (is node 20+ installed and on the PATH?): " + ex.getMessage(), ex);
        }
    }

    /** The next line of output, or fails with the script's stderr after {@code timeoutSeconds}. */
    String nextLine(final long timeoutSeconds) throws InterruptedException
    {
        final String line = lines.poll(timeoutSeconds, TimeUnit.SECONDS);
        if (line == null)
        {
            throw new AssertionError("no output from the node script within " + timeoutSeconds + " s (alive: " +
                process.isAlive() + ")\nstderr:\n" + stderr);
        }
        if (line.equals(EOF))
        {
            throw new AssertionError("the node script ended early (exit " + process.waitFor() + ")\nstderr:\n" + stderr);
        }
        return line;
    }

    private static final String EOF = "\u0000eof";

    private void pump(final InputStream stream, final boolean out)
    {
        final Thread thread = new Thread(() ->
        {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8)))
            {
                String line;
                while ((line = reader.readLine()) != null)
                {
                    if (out)
                    {
                        lines.add(line);
                    }
                    else
                    {
                        stderr.append(line).append('\n');
                    }
                }
            }
            catch (final IOException ex)
            {
                stderr.append("reading the script's output failed: ").append(ex).append('\n');
            }
            if (out)
            {
                lines.add(EOF);
            }
        }, out ? "node-stdout" : "node-stderr");
        thread.setDaemon(true);
        thread.start();
    }

    /** Writes one line to the script's stdin. */
    void send(final String line) throws IOException
    {
        process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().flush();
    }

    /** Waits up to {@code timeoutSeconds} for the script to end; its exit code, or -1 if still running. */
    int awaitExit(final long timeoutSeconds) throws InterruptedException
    {
        return process.waitFor(timeoutSeconds, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }

    String stderr()
    {
        return stderr.toString();
    }

    @Override
    public void close()
    {
        if (process.isAlive())
        {
            process.destroy();
            try
            {
                if (!process.waitFor(10, TimeUnit.SECONDS))
                {
                    process.destroyForcibly();
                }
            }
            catch (final InterruptedException ex)
            {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
