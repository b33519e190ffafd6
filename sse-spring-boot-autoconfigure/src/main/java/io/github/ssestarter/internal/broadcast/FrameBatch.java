package io.github.ssestarter.internal.broadcast;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

import org.jspecify.annotations.Nullable;

/**
 * The frames of one write to a subscriber, reused by one writing thread from write to write, so
 * that an event written alone costs no allocation. A single frame is kept in a field; once there
 * are more, all of them go to a list made for that write, young, since storing references into a
 * long-lived list costs the garbage collector's write barrier more than the list costs to make.
 * Reading the frames by index takes the same path for every index of a write: a first frame read
 * differently from the others made the compiled loops that join a write's frames fail a check
 * hoisted out of the loop, and be compiled again. A sink does not keep the batch after its write.
 */
final class FrameBatch extends AbstractList<byte[]> implements RandomAccess {

	private final int capacity;

	/** The frame of a batch of one. */
	private byte @Nullable [] only;

	/** Every frame, once there are several. */
	private @Nullable List<byte[]> several;

	private int size;

	/**
	 * @param capacity the most frames a batch takes, which sizes the list of a batch of several
	 */
	FrameBatch(int capacity) {
		this.capacity = capacity;
	}

	@Override
	public boolean add(byte[] frame) {
		if (this.size == 0) {
			this.only = frame;
		}
		else {
			List<byte[]> frames = this.several;
			if (frames == null) {
				frames = new ArrayList<>(this.capacity);
				frames.add(this.only);
				this.several = frames;
			}
			frames.add(frame);
		}
		this.size++;
		return true;
	}

	@Override
	public byte[] get(int index) {
		Objects.checkIndex(index, this.size);
		List<byte[]> frames = this.several;
		return (frames != null) ? frames.get(index) : this.only;
	}

	@Override
	public int size() {
		return this.size;
	}

	@Override
	public void clear() {
		this.only = null;
		this.several = null;
		this.size = 0;
	}

}
