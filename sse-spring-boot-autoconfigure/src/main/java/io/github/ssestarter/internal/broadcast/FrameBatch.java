package io.github.ssestarter.internal.broadcast;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.RandomAccess;

import org.jspecify.annotations.Nullable;

/**
 * The frames of one write to a subscriber, reused by one writing thread from write to write, so
 * that an event written alone costs no allocation. The first frame is kept in a field; further
 * ones go to a list made for that write, young, since storing references into a long-lived list
 * costs the garbage collector's write barrier more than the list costs to make. A sink does not
 * keep the batch after its write.
 */
final class FrameBatch extends AbstractList<byte[]> implements RandomAccess {

	private final int capacity;

	private byte @Nullable [] first;

	private @Nullable List<byte[]> rest;

	private int size;

	/**
	 * @param capacity the most frames a batch takes, which sizes the list for the frames after the first
	 */
	FrameBatch(int capacity) {
		this.capacity = capacity;
	}

	@Override
	public boolean add(byte[] frame) {
		if (this.size == 0) {
			this.first = frame;
		}
		else {
			List<byte[]> more = this.rest;
			if (more == null) {
				more = new ArrayList<>(this.capacity - 1);
				this.rest = more;
			}
			more.add(frame);
		}
		this.size++;
		return true;
	}

	@Override
	public byte[] get(int index) {
		if (index < 0 || index >= this.size) {
			throw new IndexOutOfBoundsException(index);
		}
		byte[] frame = (index == 0) ? this.first : this.rest.get(index - 1);
		return frame;
	}

	@Override
	public int size() {
		return this.size;
	}

	@Override
	public void clear() {
		this.first = null;
		this.rest = null;
		this.size = 0;
	}

}
