package io.perpetua.gateway.http;

import io.netty.handler.codec.http.HttpResponseStatus;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The browser trading page: files under {@code web/} on the class path, served at {@code /}
 * ({@code /} itself is {@code index.html}). A path is resolved only when every segment is a plain
 * name (letters, digits, {@code _ - .}, not starting with a dot) and its extension has a known
 * content type, so no request can reach a file outside {@code web/} or one without a type; files
 * are read once and kept, since the class path does not change while the gateway runs.
 */
final class StaticFiles
{
    /** Class-path folder of the page. */
    static final String ROOT = "web/";
    static final String INDEX = "index.html";
    /** Browsers revalidate every file (with its ETag): the page has no build step that versions names. */
    static final String CACHE_CONTROL = "no-cache";
    /** The page loads nothing but its own files and talks only to this gateway. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; connect-src 'self'; img-src 'self' data:; " +
        "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}");
    private static final int MAX_SEGMENTS = 8;
    private static final Map<String, String> CONTENT_TYPES = Map.of(
        "html", "text/html; charset=utf-8",
        "css", "text/css; charset=utf-8",
        "js", "text/javascript; charset=utf-8",
        "mjs", "text/javascript; charset=utf-8",
        "json", "application/json; charset=utf-8",
        "svg", "image/svg+xml",
        "png", "image/png",
        "ico", "image/x-icon",
        "txt", "text/plain; charset=utf-8");

    private final ClassLoader loader;
    private final Map<String, File> files = new ConcurrentHashMap<>();

    /** One servable file. */
    record File(String name, String contentType, byte[] body, String etag)
    {
    }

    /** What a path resolves to: a file (status 200), or a status and a message. */
    record Lookup(HttpResponseStatus status, File file, String message)
    {
        static Lookup error(final HttpResponseStatus status, final String message)
        {
            return new Lookup(status, null, message);
        }
    }

    StaticFiles(final ClassLoader loader)
    {
        this.loader = Objects.requireNonNull(loader);
    }

    /** The page of this module's class path. */
    static StaticFiles page()
    {
        return new StaticFiles(StaticFiles.class.getClassLoader());
    }

    /**
     * @param path the request's path, percent-decoded (so an encoded dot or slash is checked as what
     *             it stands for)
     */
    Lookup lookup(final String path)
    {
        if (!path.startsWith("/"))
        {
            return Lookup.error(HttpResponseStatus.BAD_REQUEST, "bad path: " + path);
        }
        final String name = path.equals("/") ? INDEX : path.substring(1);
        final String[] segments = name.split("/", -1);
        if (segments.length > MAX_SEGMENTS)
        {
            return Lookup.error(HttpResponseStatus.BAD_REQUEST, "bad path: " + path);
        }
        for (final String segment : segments)
        {
            if (!SEGMENT.matcher(segment).matches())
            {
                return Lookup.error(HttpResponseStatus.BAD_REQUEST, "bad path: " + path);
            }
        }
        final String last = segments[segments.length - 1];
        final int dot = last.lastIndexOf('.');
        final String contentType = dot < 0 ? null : CONTENT_TYPES.get(last.substring(dot + 1));
        if (contentType == null)
        {
            return Lookup.error(HttpResponseStatus.NOT_FOUND, "no such endpoint: " + path);
        }
        File file = files.get(name);
        if (file == null)
        {
            // Only found files are kept: the set of names a client may ask for is unbounded.
            file = load(name, contentType);
            if (file == null)
            {
                return Lookup.error(HttpResponseStatus.NOT_FOUND, "no such endpoint: " + path);
            }
            files.putIfAbsent(name, file);
        }
        return new Lookup(HttpResponseStatus.OK, file, null);
    }

    private File load(final String name, final String contentType)
    {
        final URL url = loader.getResource(ROOT + name);
        if (url == null)
        {
            return null;
        }
        try (InputStream in = url.openStream())
        {
            final byte[] body = in.readAllBytes();
            return new File(name, contentType, body, etag(body));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read " + url, ex);
        }
    }

    private static String etag(final byte[] body)
    {
        try
        {
            final byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-256 is not available", ex);
        }
    }
}
