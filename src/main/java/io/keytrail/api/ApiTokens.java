package io.keytrail.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two bearer tokens of the HTTP API (design 11): the user token (inputs, sessions, decrypt, trail,
 * as-of) and the admin token (everything the user token may do, plus export, re-verification and every
 * later admin operation). Configured ({@code keytrail.api.token}, {@code keytrail.api.admin-token}) or,
 * where one is not, read from (or generated at first start into) {@value #FILE_NAME} in the data
 * directory, created owner-only ({@code 0600}). A token is never logged; only the file's path is.
 */
final class ApiTokens {
    static final String FILE_NAME = "api-tokens.properties";
    /** A configured token shorter than this is refused at start: it could be guessed. */
    static final int MIN_LENGTH = 16;
    private static final Logger log = LoggerFactory.getLogger(ApiTokens.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    /** What a presented token may do. */
    enum Right { USER, ADMIN }

    private final byte[] userDigest;
    private final byte[] adminDigest;

    private ApiTokens(String user, String admin) {
        if (user.equals(admin)) {
            throw new IllegalStateException("keytrail.api.token and keytrail.api.admin-token must differ:"
                    + " the user token would otherwise have every admin right");
        }
        this.userDigest = sha256(user);
        this.adminDigest = sha256(admin);
    }

    /** Tokens as configured; blank ones come from (or are generated into) {@code dataDir}/{@value #FILE_NAME}. */
    static ApiTokens resolve(String token, String adminToken, Path dataDir, SecureRandom random) {
        boolean haveUser = token != null && !token.isBlank();
        boolean haveAdmin = adminToken != null && !adminToken.isBlank();
        if (haveUser && haveAdmin) {
            return new ApiTokens(checked("keytrail.api.token", token), checked("keytrail.api.admin-token", adminToken));
        }
        Properties file = tokenFile(dataDir.resolve(FILE_NAME), random);
        return new ApiTokens(haveUser ? checked("keytrail.api.token", token) : file.getProperty("token"),
                haveAdmin ? checked("keytrail.api.admin-token", adminToken) : file.getProperty("admin-token"));
    }

    /**
     * The right of a presented token, if any. Both digests are always compared, in constant time over
     * equal-length SHA-256 digests, so neither the timing nor the length of the answer tells a caller
     * how much of a guess was right.
     */
    Optional<Right> rightOf(String presented) {
        if (presented == null) {
            return Optional.empty();
        }
        byte[] digest = sha256(presented);
        boolean admin = MessageDigest.isEqual(digest, adminDigest);
        boolean user = MessageDigest.isEqual(digest, userDigest);
        return admin ? Optional.of(Right.ADMIN) : user ? Optional.of(Right.USER) : Optional.empty();
    }

    private static String checked(String key, String token) {
        String trimmed = token.strip();
        if (trimmed.length() < MIN_LENGTH) {
            throw new IllegalStateException(key + " is shorter than " + MIN_LENGTH + " characters; use a long"
                    + " random value (e.g. openssl rand -base64 32) or leave it empty to have one generated");
        }
        return trimmed;
    }

    private static Properties tokenFile(Path path, SecureRandom random) {
        try {
            Files.createDirectories(path.toAbsolutePath().getParent());
            Properties tokens = new Properties();
            tokens.setProperty("token", generate(random));
            tokens.setProperty("admin-token", generate(random));
            try {
                create(path);
            } catch (FileAlreadyExistsException e) {
                Properties existing = read(path);
                log.info("HTTP API tokens: read from {}; send one as 'Authorization: Bearer <token>'",
                        path.toAbsolutePath().normalize());
                return existing;
            }
            try (Writer out = Files.newBufferedWriter(path, StandardCharsets.UTF_8)) {
                tokens.store(out, "Keytrail HTTP API bearer tokens (admin-token: export, re-verification; keep secret)");
            }
            log.info("HTTP API tokens: generated into {} (owner-only); send one as 'Authorization: Bearer <token>'",
                    path.toAbsolutePath().normalize());
            return tokens;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the API token file " + path.toAbsolutePath(), e);
        }
    }

    /** Created with its final permissions, so the tokens are never readable by others, not even briefly. */
    private static void create(Path path) throws IOException {
        try {
            Files.createFile(path, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (UnsupportedOperationException e) {
            Files.createFile(path);
        }
    }

    private static Properties read(Path path) throws IOException {
        Properties tokens = new Properties();
        try (InputStream in = Files.newInputStream(path)) {
            tokens.load(in);
        }
        for (String key : new String[] {"token", "admin-token"}) {
            String value = tokens.getProperty(key);
            if (value == null || value.strip().length() < MIN_LENGTH) {
                throw new IllegalStateException("the API token file " + path.toAbsolutePath() + " has no usable '"
                        + key + "'; delete it to have new tokens generated");
            }
            tokens.setProperty(key, value.strip());
        }
        return tokens;
    }

    /** 32 random bytes, URL-safe base64: safe in a header and a shell. */
    private static String generate(SecureRandom random) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "ApiTokens[redacted]";
    }
}
