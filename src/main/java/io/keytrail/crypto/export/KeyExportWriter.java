package io.keytrail.crypto.export;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Writes a key export file piece by piece (the same bytes as {@link KeyExportFile#encrypt} for the same
 * salt and IV): the exported JSON is encrypted, authenticated and armored as it is written, so an export
 * of a million sessions never holds them, their JSON or the file in memory. {@link #finish} writes the
 * MAC and the footer; a writer that is not finished leaves a file no importer accepts.
 */
public final class KeyExportWriter {
    private static final int LINE_BYTES = KeyExportFile.LINE_LENGTH / 4 * 3;

    private final OutputStream out;
    private final Ctr64.Stream cipher;
    private final HMac mac = new HMac(new SHA256Digest());
    private final byte[] line = new byte[LINE_BYTES];
    private int lineFill;
    private boolean finished;

    /**
     * Derives the keys ({@code rounds} PBKDF2 rounds) and writes the armor header and the file header.
     *
     * @param rounds between 1 and {@link KeyExportFile#MAX_ROUNDS}; use {@link KeyExportFile#DEFAULT_ROUNDS}
     */
    public KeyExportWriter(OutputStream out, String passphrase, int rounds, SecureRandom random) throws IOException {
        KeyExportFile.checkRounds(rounds);
        this.out = out;
        byte[] salt = new byte[KeyExportFile.SALT_LENGTH];
        byte[] iv = new byte[KeyExportFile.IV_LENGTH];
        random.nextBytes(salt);
        random.nextBytes(iv);
        // Bit 63 clear, as KeyExportFile.encrypt: 64- and 128-bit counter readers agree.
        iv[8] &= 0x7f;
        byte[] keys = KeyExportFile.deriveKeys(passphrase, salt, rounds);
        this.cipher = new Ctr64.Stream(Arrays.copyOfRange(keys, 0, 32), iv);
        mac.init(new KeyParameter(Arrays.copyOfRange(keys, 32, 64)));
        Arrays.fill(keys, (byte) 0);
        out.write((KeyExportFile.HEADER + "\n").getBytes(StandardCharsets.US_ASCII));
        byte[] header = new byte[KeyExportFile.HEADER_LENGTH];
        header[0] = (byte) KeyExportFile.VERSION;
        System.arraycopy(salt, 0, header, 1, salt.length);
        System.arraycopy(iv, 0, header, 1 + salt.length, iv.length);
        int at = 1 + salt.length + iv.length;
        header[at] = (byte) (rounds >>> 24);
        header[at + 1] = (byte) (rounds >>> 16);
        header[at + 2] = (byte) (rounds >>> 8);
        header[at + 3] = (byte) rounds;
        authenticated(header);
    }

    /** Encrypts and writes the next piece of the exported JSON. */
    public void write(String json) throws IOException {
        byte[] plain = json.getBytes(StandardCharsets.UTF_8);
        authenticated(cipher.update(plain, 0, plain.length));
    }

    /** Writes the MAC, the last line and the footer; the stream is left open (it belongs to the caller). */
    public void finish() throws IOException {
        if (finished) {
            return;
        }
        finished = true;
        byte[] tag = new byte[mac.getMacSize()];
        mac.doFinal(tag, 0);
        armored(tag);
        if (lineFill > 0) {
            out.write(Base64.getEncoder().encode(Arrays.copyOf(line, lineFill)));
            out.write('\n');
        }
        out.write((KeyExportFile.FOOTER + "\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private void authenticated(byte[] bytes) throws IOException {
        if (finished) {
            throw new IllegalStateException("the export file is finished");
        }
        mac.update(bytes, 0, bytes.length);
        armored(bytes);
    }

    /** Base64 in lines of {@value KeyExportFile#LINE_LENGTH} characters, as element-web writes them. */
    private void armored(byte[] bytes) throws IOException {
        for (byte b : bytes) {
            line[lineFill++] = b;
            if (lineFill == LINE_BYTES) {
                out.write(Base64.getEncoder().encode(line));
                out.write('\n');
                lineFill = 0;
            }
        }
    }
}
