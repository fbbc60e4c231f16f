package io.keytrail.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.keytrail.crypto.CryptoInputException;
import io.keytrail.crypto.UnpaddedBase64;
import io.keytrail.session.SealingKeys;

/**
 * Where the sealing keys come from (ADR 0012), in this order:
 * <ol>
 *   <li>{@code keytrail.session-key-encryption-key} (env {@code KEYTRAIL_SESSION_KEY_ENCRYPTION_KEY}): the
 *   current key inline;</li>
 *   <li>{@code keytrail.sealing.key-file} (env {@code KEYTRAIL_SEALING_KEY_FILE}): a file holding it, which
 *   must lie outside the data directory (a key beside the data it protects protects nothing: whoever copies
 *   the directory has both) and be readable by its owner only;</li>
 *   <li>neither: a development key generated into the data directory, announced by a WARN at every start.</li>
 * </ol>
 * Older keys ({@code keytrail.sealing.old-keys}, {@code keytrail.sealing.old-key-files}) only open what they
 * sealed, until {@code audit rotate-key} has moved it to the current key. Any problem is a
 * {@link BadSealingKeys} naming the setting and the file, never a key.
 */
final class SealingKeySettings {
    private static final Logger log = LoggerFactory.getLogger(SealingKeySettings.class);
    static final String DEV_KEY_FILE = "dev-session-key-encryption.key";
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private SealingKeySettings() {
    }

    /** The configuration names a sealing key that cannot be used; the service must not start. */
    static final class BadSealingKeys extends IllegalStateException {
        BadSealingKeys(String message) {
            super(message);
        }
    }

    static SealingKeys load(KeytrailProperties properties, SecureRandom random) {
        Path dataDir = Path.of(properties.dataDir());
        String inline = properties.sessionKeyEncryptionKey();
        String keyFile = properties.sealing().keyFile();
        boolean hasInline = inline != null && !inline.isBlank();
        boolean hasFile = keyFile != null && !keyFile.isBlank();
        if (hasInline && hasFile) {
            throw new BadSealingKeys("Both keytrail.session-key-encryption-key and keytrail.sealing.key-file are set: "
                    + "configure the current sealing key once (an older key goes in keytrail.sealing.old-keys or "
                    + "keytrail.sealing.old-key-files).");
        }
        List<byte[]> older = new ArrayList<>();
        for (String key : properties.sealing().oldKeys()) {
            older.add(decode(key, "keytrail.sealing.old-keys"));
        }
        for (String file : properties.sealing().oldKeyFiles()) {
            older.add(readKeyFile(Path.of(file.trim()), dataDir, "keytrail.sealing.old-key-files"));
        }
        SealingKeys keys;
        if (hasInline) {
            keys = new SealingKeys(decode(inline, "keytrail.session-key-encryption-key"), older);
        } else if (hasFile) {
            keys = new SealingKeys(readKeyFile(Path.of(keyFile.trim()), dataDir, "keytrail.sealing.key-file"), older);
        } else {
            Path dev = dataDir.resolve(DEV_KEY_FILE);
            keys = new SealingKeys(devKey(dev, random), older);
            log.warn("DEVELOPMENT SEALING KEY IN USE: no keytrail.sealing.key-file or KEYTRAIL_SESSION_KEY_ENCRYPTION_KEY "
                    + "is configured, so Megolm session keys are sealed with a key generated into the data directory "
                    + "at {} (key id {}). Whoever copies the data directory can read every session key, and forgetting "
                    + "a session protects nothing against such a copy. For development only: see README, \"Keys at rest\".",
                    dev.toAbsolutePath(), keys.currentId());
        }
        if (keys.ids().size() > 1) {
            log.info("sealing keys: current key id {}; older key ids kept for reading: {}", keys.currentId(),
                    keys.ids().stream().filter(id -> !id.equals(keys.currentId())).toList());
        }
        return keys;
    }

    private static byte[] decode(String base64, String setting) {
        try {
            return UnpaddedBase64.decodeExact(base64.trim(), 32, setting);
        } catch (CryptoInputException | IllegalArgumentException e) {
            // The decoder's message may quote part of the value: not repeated here.
            throw new BadSealingKeys(setting + " is not a base64-encoded 32-byte key");
        }
    }

    /**
     * Reads a key file after checking that it is outside the data directory and that neither group nor
     * others have any permission on it (POSIX file systems; elsewhere the permissions are not checked).
     */
    static byte[] readKeyFile(Path file, Path dataDir, String setting) {
        Path absolute = file.toAbsolutePath().normalize();
        if (!Files.isRegularFile(absolute)) {
            throw new BadSealingKeys(setting + ": the key file " + absolute + " does not exist or is not a file");
        }
        Path real;
        Path data;
        try {
            real = absolute.toRealPath();
            data = Files.exists(dataDir) ? dataDir.toRealPath() : dataDir.toAbsolutePath().normalize();
        } catch (IOException e) {
            throw new BadSealingKeys(setting + ": cannot resolve the key file " + absolute + ": " + e.getMessage());
        }
        if (real.startsWith(data)) {
            throw new BadSealingKeys(setting + ": the key file " + absolute + " is inside the data directory " + data
                    + "; keep the sealing key elsewhere (a key beside the data it protects protects nothing: "
                    + "a copy of the directory would hold both)");
        }
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(real, LinkOption.NOFOLLOW_LINKS);
            Set<PosixFilePermission> open = EnumSet.copyOf(GROUP_OR_OTHERS);
            open.retainAll(permissions);
            if (!open.isEmpty()) {
                throw new BadSealingKeys(setting + ": the key file " + absolute + " is accessible to group or others ("
                        + PosixFilePermissions.toString(permissions) + "); make it readable by its owner only: chmod 600 "
                        + absolute);
            }
        } catch (UnsupportedOperationException notPosix) {
            // not a POSIX file system: nothing to check here
        } catch (IOException e) {
            throw new BadSealingKeys(setting + ": cannot read the permissions of " + absolute + ": " + e.getMessage());
        }
        String text;
        try {
            text = Files.readString(real).trim();
        } catch (IOException e) {
            throw new BadSealingKeys(setting + ": cannot read the key file " + absolute + ": " + e.getMessage());
        }
        return decode(text, setting + " (" + absolute + ")");
    }

    private static byte[] devKey(Path file, SecureRandom random) {
        try {
            if (Files.exists(file)) {
                return decode(Files.readString(file), "the development key file " + file);
            }
            Files.createDirectories(file.toAbsolutePath().getParent());
            byte[] key = new byte[32];
            random.nextBytes(key);
            Files.writeString(file, UnpaddedBase64.encode(key), StandardOpenOption.CREATE_NEW);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system: the key file keeps the default permissions
            }
            return key;
        } catch (IOException e) {
            throw new BadSealingKeys("cannot read or create the development key " + file + ": " + e.getMessage());
        }
    }
}
