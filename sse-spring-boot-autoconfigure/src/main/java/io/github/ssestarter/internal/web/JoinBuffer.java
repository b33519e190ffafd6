package io.github.ssestarter.internal.web;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Joins the frames of one write into an array its writing thread reuses from write to write, for
 * a response that copies what it is given: a batch of events then costs no allocation per
 * subscriber. Before, each write of several frames joined them into an array of its own, and
 * allocating those (a hundred bytes and more per delivery) was most of a writer's work in bursts.
 *
 * <p>Arrays of up to {@link #MAX_KEPT} bytes are kept; a larger join gets an array of its own.
 * A response may keep the array past its write (one that sends the rest later, when the client
 * cannot take it all now): the writer then {@linkplain #handOver(byte[]) hands it over}, and the thread
 * makes a new one for its next join.
 */
public final class JoinBuffer {

	/** The largest array kept by a thread: 64 frames of 1 KiB. */
	static final int MAX_KEPT = 64 * 1024;

	private static final int INITIAL = 8 * 1024;

	private static final ThreadLocal<JoinBuffer> BUFFERS = ThreadLocal.withInitial(JoinBuffer::new);

	/** The array kept for the next join, or {@code null} before the first and once handed over. */
	private byte @Nullable [] kept;

	private int length;

	JoinBuffer() {
	}

	/**
	 * The buffer of the calling thread, which only that thread uses.
	 * @return the buffer
	 */
	public static JoinBuffer ofCurrentThread() {
		return BUFFERS.get();
	}

	/**
	 * Joins frames.
	 * @param frames complete frames, in order
	 * @return the array holding them from its start, until the next join; it may be longer than
	 * the frames, whose length {@link #length()} gives
	 */
	public byte[] join(List<byte[]> frames) {
		// Counted loops: writers pass lists with random access, and no iterator is made per write.
		int count = frames.size();
		int total = 0;
		for (int i = 0; i < count; i++) {
			total += frames.get(i).length;
		}
		byte[] target = arrayFor(total);
		int offset = 0;
		for (int i = 0; i < count; i++) {
			byte[] frame = frames.get(i);
			System.arraycopy(frame, 0, target, offset, frame.length);
			offset += frame.length;
		}
		this.length = total;
		return target;
	}

	/**
	 * The length of the last join.
	 * @return its length in bytes
	 */
	public int length() {
		return this.length;
	}

	/**
	 * Gives a join's array to the response, which keeps it: the next join uses another.
	 * @param array the array {@link #join(List)} returned
	 */
	public void handOver(byte[] array) {
		if (array == this.kept) {
			this.kept = null;
		}
	}

	private byte[] arrayFor(int length) {
		if (length > MAX_KEPT) {
			return new byte[length];
		}
		byte[] array = this.kept;
		if (array == null || array.length < length) {
			array = new byte[Math.min(MAX_KEPT, Math.max(INITIAL, Integer.highestOneBit(length - 1) << 1))];
			this.kept = array;
		}
		return array;
	}

}
