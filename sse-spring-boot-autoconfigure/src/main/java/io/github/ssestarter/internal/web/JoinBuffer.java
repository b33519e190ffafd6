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
 * cannot take it all now): the writer then {@linkplain #handOver() hands it over}, and the thread
 * makes a new one for its next join.
 */
public final class JoinBuffer {

	/** The largest array kept by a thread: 64 frames of 1 KiB. */
	static final int MAX_KEPT = 64 * 1024;

	private static final int INITIAL = 8 * 1024;

	private static final ThreadLocal<JoinBuffer> BUFFERS = ThreadLocal.withInitial(JoinBuffer::new);

	/** The array kept for the next join, or {@code null} once handed over. */
	private byte @Nullable [] kept;

	/** The array of the last join: the kept one, or one of its own when larger. */
	private byte[] joined;

	private int length;

	JoinBuffer() {
		this.kept = new byte[INITIAL];
		this.joined = this.kept;
	}

	/**
	 * The buffer of the calling thread, which only that thread uses.
	 * @return the buffer
	 */
	public static JoinBuffer ofCurrentThread() {
		return BUFFERS.get();
	}

	/**
	 * Joins frames; {@link #array()} and {@link #length()} then hold them, until the next join.
	 * @param frames complete frames, in order
	 */
	public void join(List<byte[]> frames) {
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
		this.joined = target;
		this.length = total;
	}

	/**
	 * The array holding the last join, from its start.
	 * @return the array, which may be longer than the join
	 */
	public byte[] array() {
		return this.joined;
	}

	/**
	 * The length of the last join.
	 * @return its length in bytes
	 */
	public int length() {
		return this.length;
	}

	/**
	 * Gives the last join's array to the response, which keeps it: the next join uses another.
	 */
	public void handOver() {
		if (this.joined == this.kept) {
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
