package io.github.ssestarter.internal.web;

import java.util.List;

/**
 * Frames handed to a response in one write.
 */
public final class Frames {

	private Frames() {
	}

	/**
	 * The frames as one array: the only one itself when there is one.
	 * @param frames complete frames, in order; not empty
	 * @return their bytes, in order
	 */
	public static byte[] join(List<byte[]> frames) {
		if (frames.size() == 1) {
			return frames.get(0);
		}
		int length = 0;
		for (byte[] frame : frames) {
			length += frame.length;
		}
		byte[] bytes = new byte[length];
		int offset = 0;
		for (byte[] frame : frames) {
			System.arraycopy(frame, 0, bytes, offset, frame.length);
			offset += frame.length;
		}
		return bytes;
	}

}
