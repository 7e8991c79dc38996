package io.perpetua.gateway;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trading page's files at {@code /}: every file of {@code src/main/resources/web} with its
 * content type and cache headers, HEAD and conditional GETs, and no way out of the folder (raw
 * request lines, so that no client normalises the path first).
 */
class StaticFilesTest
{
    private static final Path WEB = Path.of("src", "main", "resources", "web");
    /** Content types by extension, written out here rather than read from the handler. */
    private static final Map<String, String> TYPES = Map.of(
        "html", "text/html; charset=utf-8",
        "js", "text/javascript; charset=utf-8",
        "css", "text/css; charset=utf-8",
        "svg", "image/svg+xml");

    @TempDir
    Path journal;

    private TestExchange exchange;

    @BeforeEach
    void start() throws Exception
    {
        exchange = new TestExchange(journal);
    }

    @AfterEach
    void stop()
    {
        exchange.close();
    }

    @Test
    void servesEveryFileWithItsTypeAndCacheHeaders() throws Exception
    {
        final List<Path> files;
        try (Stream<Path> walk = Files.walk(WEB))
        {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        assertTrue(files.size() >= 8, "the page's files: " + files);
        for (final Path file : files)
        {
            final String name = WEB.relativize(file).toString().replace('\\', '/');
            final String extension = name.substring(name.lastIndexOf('.') + 1);
            final String type = TYPES.get(extension);
            assertNotNull(type, "no expected content type for " + name + ": add its extension to this test");
            final Response response = request("GET", "/" + name);
            assertEquals(200, response.status, name);
            assertEquals(type, response.header("content-type"), name);
            assertArrayEquals(Files.readAllBytes(file), response.body, name);
            assertEquals(Integer.toString(response.body.length), response.header("content-length"), name);
            assertEquals("no-cache", response.header("cache-control"), name);
            assertEquals("nosniff", response.header("x-content-type-options"), name);
            assertTrue(response.header("etag").matches("\"[0-9a-f]{32}\""), name + ": " + response.header("etag"));
            assertTrue(response.header("content-security-policy").startsWith("default-src 'self'"), name);
        }
        final Response root = request("GET", "/");
        assertEquals(200, root.status);
        assertEquals("text/html; charset=utf-8", root.header("content-type"));
        assertArrayEquals(Files.readAllBytes(WEB.resolve("index.html")), root.body);
    }

    @Test
    void headAndConditionalGets() throws Exception
    {
        final Response get = request("GET", "/app.js");
        final Response head = request("HEAD", "/app.js");
        assertEquals(200, head.status);
        assertEquals(0, head.body.length);
        assertEquals(get.header("content-length"), head.header("content-length"));
        assertEquals(get.header("etag"), head.header("etag"));
        assertEquals("text/javascript; charset=utf-8", head.header("content-type"));

        final Response unchanged = request("GET", "/app.js", "If-None-Match: " + get.header("etag"));
        assertEquals(304, unchanged.status);
        assertEquals(0, unchanged.body.length);
        assertEquals(get.header("etag"), unchanged.header("etag"));
        assertEquals(200, request("GET", "/app.js", "If-None-Match: \"0123\"").status);
        assertTrue(!get.header("etag").equals(request("GET", "/style.css").header("etag")), "ETags differ by content");
    }

    @Test
    void noPathLeavesThePageFolder() throws Exception
    {
        final Map<String, Integer> expected = new LinkedHashMap<>();
        expected.put("/../pom.xml", 400);
        expected.put("/../../../../etc/passwd", 400);
        expected.put("/%2e%2e/pom.xml", 400);
        expected.put("/%2E%2E/%2E%2E/etc/passwd", 400);
        expected.put("/..%2fpom.xml", 400);
        expected.put("/%2e%2e%2fpom.xml", 400);
        expected.put("/web/../index.html", 400);
        expected.put("/./index.html", 400);
        expected.put("/%5c..%5cpom.xml", 400);
        expected.put("/..\\pom.xml", 400);
        expected.put("//etc/passwd", 400);
        expected.put("/.hidden.js", 400);
        expected.put("/index.html%00.js", 400);
        expected.put("/C:/Windows/win.ini", 400);
        expected.put("http://127.0.0.1/../pom.xml", 400);
        expected.put("/etc/passwd", 404);
        expected.put("/%252e%252e/pom.xml", 400);
        expected.put("/sbe/perpetua-mm.xml", 404);
        expected.put("/io/perpetua/gateway/Gateway.class", 404);
        expected.put("/web/index.html", 404);
        expected.put("/nothing.html", 404);
        expected.put("/index", 404);
        final List<String> wrong = new ArrayList<>();
        for (final Map.Entry<String, Integer> entry : expected.entrySet())
        {
            final Response response = request("GET", entry.getKey());
            if (response.status != entry.getValue())
            {
                wrong.add(entry.getKey() + " -> " + response.status + " (expected " + entry.getValue() + ")");
            }
            else
            {
                assertEquals("application/json; charset=utf-8", response.header("content-type"), entry.getKey());
                assertTrue(new String(response.body, StandardCharsets.UTF_8).startsWith("{\"errors\":[{\"msg\":"),
                    entry.getKey());
            }
        }
        assertEquals(List.of(), wrong);
        // What the page does not have stays the indexer's 404, and the API still answers.
        assertEquals(404, request("GET", "/v4/nothing").status);
        assertEquals(200, request("GET", "/v4/time").status);
    }

    @Test
    void onlyGetAndHead() throws Exception
    {
        for (final String method : List.of("POST", "PUT", "DELETE", "PATCH", "OPTIONS"))
        {
            final Response response = request(method, "/index.html");
            assertEquals(405, response.status, method);
            assertEquals("GET, HEAD", response.header("allow"), method);
        }
        assertEquals(405, request("HEAD", "/v4/time").status, "HEAD is the page's, the REST API takes GET");
    }

    private record Response(int status, Map<String, String> headers, byte[] body)
    {
        String header(final String name)
        {
            return headers.get(name);
        }
    }

    /** One request over a raw socket, the target sent exactly as given; reads to the end. */
    private Response request(final String method, final String target, final String... headers) throws IOException
    {
        try (Socket socket = new Socket("127.0.0.1", exchange.gateway.port()))
        {
            socket.setSoTimeout(30_000);
            final StringBuilder request = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1\r\nConnection: close\r\n");
            for (final String header : headers)
            {
                request.append(header).append("\r\n");
            }
            if (!method.equals("GET") && !method.equals("HEAD"))
            {
                request.append("Content-Length: 0\r\n");
            }
            final OutputStream out = socket.getOutputStream();
            out.write(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return parse(socket.getInputStream());
        }
    }

    private static Response parse(final InputStream in) throws IOException
    {
        final ByteArrayOutputStream all = new ByteArrayOutputStream();
        in.transferTo(all);
        final byte[] bytes = all.toByteArray();
        int end = -1;
        for (int i = 0; i + 3 < bytes.length; i++)
        {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n')
            {
                end = i;
                break;
            }
        }
        assertTrue(end > 0, () -> "no HTTP response: " + new String(bytes, StandardCharsets.ISO_8859_1));
        final String[] lines = new String(bytes, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
        final int status = Integer.parseInt(lines[0].split(" ")[1]);
        final Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++)
        {
            final int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        return new Response(status, headers, Arrays.copyOfRange(bytes, end + 4, bytes.length));
    }
}
