package io.github.ssestarter.internal.web;

import java.util.List;

/**
 * Frames handed to a response in one write, for a response that keeps the array it is given; see
 * {@link JoinBuffer} for one that copies it.
 */
public final class Frames {

	private Frames() {
	}

	/**
	 * The frames as one array: the only one itself when there is one, else a new one.
	 * @param frames complete frames, in order; not empty
	 * @return their bytes, in order
	 */
	public static byte[] join(List<byte[]> frames) {
		if (frames.size() == 1) {
			return frames.get(0);
		}
		// Counted loops, as in JoinBuffer.
		int count = frames.size();
		int length = 0;
		for (int i = 0; i < count; i++) {
			length += frames.get(i).length;
		}
		byte[] bytes = new byte[length];
		int offset = 0;
		for (int i = 0; i < count; i++) {
			byte[] frame = frames.get(i);
			System.arraycopy(frame, 0, bytes, offset, frame.length);
			offset += frame.length;
		}
		return bytes;
	}

}
