package dev.xigate.simulator.audio;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Creates an Ogg Opus file (RFC 7845) of mono 20 ms packets that hold only a TOC byte: zero-length frames, which a
 * decoder renders as silence. One Ogg page carries one second of packets.
 */
final class OggOpus {
    private static final int PRE_SKIP = 312;
    private static final int SAMPLES_PER_PACKET = 960;
    private static final int PACKETS_PER_PAGE = 50;
    // CELT-only, fullband, 20 ms frame (configuration 31), mono, one frame per packet.
    private static final byte TOC_SILENT_20MS = (byte) (31 << 3);
    private static final int[] CRC_TABLE = crcTable();
    private static final int SERIAL = 0x5853494D;

    private OggOpus() {
    }

    static EncodedAudio encode(long millis) {
        int packets = (int) Math.max(1, (millis + 19) / 20);
        ByteArrayOutputStream out = new ByteArrayOutputStream(packets * 2 + 256);
        List<Integer> cuts = new ArrayList<>();
        int sequence = 0;
        writePage(out, 0x02, 0, sequence++, List.of(opusHead()));
        writePage(out, 0, 0, sequence++, List.of(opusTags()));
        for (int first = 0; first < packets; first += PACKETS_PER_PAGE) {
            int count = Math.min(PACKETS_PER_PAGE, packets - first);
            List<byte[]> page = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                page.add(new byte[] {TOC_SILENT_20MS});
            }
            long granule = PRE_SKIP + (long) (first + count) * SAMPLES_PER_PACKET;
            boolean last = first + count >= packets;
            if (first > 0) {
                cuts.add(out.size());
            }
            writePage(out, last ? 0x04 : 0, granule, sequence++, page);
        }
        int[] cutArray = cuts.stream().mapToInt(Integer::intValue).toArray();
        return new EncodedAudio(out.toByteArray(), cutArray, packets * 20L, Codec.OPUS.contentType());
    }

    private static byte[] opusHead() {
        ByteArrayOutputStream head = new ByteArrayOutputStream(19);
        head.writeBytes("OpusHead".getBytes(StandardCharsets.US_ASCII));
        head.write(1);
        head.write(1);
        head.write(PRE_SKIP & 0xFF);
        head.write(PRE_SKIP >> 8);
        writeLe(head, 48_000, 4);
        head.write(0);
        head.write(0);
        head.write(0);
        return head.toByteArray();
    }

    private static byte[] opusTags() {
        byte[] vendor = "xigate simulator".getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream tags = new ByteArrayOutputStream();
        tags.writeBytes("OpusTags".getBytes(StandardCharsets.US_ASCII));
        writeLe(tags, vendor.length, 4);
        tags.writeBytes(vendor);
        writeLe(tags, 0, 4);
        return tags.toByteArray();
    }

    private static void writePage(ByteArrayOutputStream out, int flags, long granule, int sequence,
            List<byte[]> packets) {
        ByteArrayOutputStream lacing = new ByteArrayOutputStream();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] packet : packets) {
            int remaining = packet.length;
            while (remaining >= 255) {
                lacing.write(255);
                remaining -= 255;
            }
            lacing.write(remaining);
            body.writeBytes(packet);
        }
        ByteArrayOutputStream page = new ByteArrayOutputStream();
        page.writeBytes("OggS".getBytes(StandardCharsets.US_ASCII));
        page.write(0);
        page.write(flags);
        writeLe(page, granule, 8);
        writeLe(page, SERIAL, 4);
        writeLe(page, sequence, 4);
        writeLe(page, 0, 4);
        page.write(lacing.size());
        page.writeBytes(lacing.toByteArray());
        page.writeBytes(body.toByteArray());
        byte[] bytes = page.toByteArray();
        int crc = crc(bytes);
        bytes[22] = (byte) crc;
        bytes[23] = (byte) (crc >>> 8);
        bytes[24] = (byte) (crc >>> 16);
        bytes[25] = (byte) (crc >>> 24);
        out.writeBytes(bytes);
    }

    private static void writeLe(ByteArrayOutputStream out, long value, int bytes) {
        for (int i = 0; i < bytes; i++) {
            out.write((int) (value >>> (8 * i)) & 0xFF);
        }
    }

    private static int crc(byte[] bytes) {
        int crc = 0;
        for (byte b : bytes) {
            crc = (crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ (b & 0xFF)) & 0xFF];
        }
        return crc;
    }

    private static int[] crcTable() {
        int[] table = new int[256];
        for (int i = 0; i < 256; i++) {
            int r = i << 24;
            for (int bit = 0; bit < 8; bit++) {
                r = (r & 0x80000000) != 0 ? (r << 1) ^ 0x04C11DB7 : r << 1;
            }
            table[i] = r;
        }
        return table;
    }
}
