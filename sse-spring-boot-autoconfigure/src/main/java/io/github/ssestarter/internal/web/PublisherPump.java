package io.github.ssestarter.internal.web;

import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * Subscribes to a Reactive Streams {@link Publisher} (a {@code Flux}) and hands its elements to
 * a target, asking the publisher for no more than the target has room for: one at a time for a
 * connection, so a slow client slows the publisher rather than filling memory, and up to the free
 * part of the buffer for a resumable stream. Elements are handled one at a time on the stream
 * executor rather than on the publisher's threads. The subscription is cancelled when the target
 * wants no more.
 *
 * <p>Only loaded when Reactive Streams is on the classpath.
 */
public final class PublisherPump implements Subscriber<Object> {

	private final SourceTarget target;

	/** Runs everything that touches {@link #outstanding}, in order. */
	private final SerialExecutor writer;

	private volatile Subscription subscription;

	/**
	 * Elements asked for and not yet received; touched by the writer, and once before that in
	 * {@link #onSubscribe}, which happens before any element arrives.
	 */
	private long outstanding;

	private PublisherPump(SourceTarget target) {
		this.target = target;
		this.writer = new SerialExecutor(target.executor());
	}

	public static void start(SourceTarget target, Object publisher) {
		@SuppressWarnings("unchecked")
		Publisher<Object> source = (Publisher<Object>) publisher;
		source.subscribe(new PublisherPump(target));
	}

	@Override
	public void onSubscribe(Subscription subscription) {
		this.subscription = subscription;
		this.target.onCancel(subscription::cancel);
		// The first request is made here rather than on the writer: a hot source such as
		// Flux.interval().onBackpressureDrop() emits at once and would drop what nobody asked for yet.
		long wanted = this.target.room();
		if (wanted > 0) {
			this.outstanding = wanted;
			subscription.request(wanted);
		}
		else {
			this.target.whenReady(this::refillLater);
		}
	}

	@Override
	public void onNext(Object element) {
		this.writer.execute(() -> {
			this.outstanding--;
			try {
				if (this.target.accept(element)) {
					this.target.whenReady(this::refillLater);
				}
				else {
					this.subscription.cancel();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				this.subscription.cancel();
			}
			catch (RuntimeException ex) {
				this.subscription.cancel();
				this.target.fail(ex);
			}
		});
	}

	@Override
	public void onError(Throwable failure) {
		// Queued behind pending elements, so that what was emitted before the failure is delivered.
		this.writer.execute(() -> this.target.fail(failure));
	}

	@Override
	public void onComplete() {
		this.writer.execute(this.target::complete);
	}

	private void refillLater() {
		this.writer.execute(this::refill);
	}

	/** Asks for as many elements as the target has room for, less those already asked for. */
	private void refill() {
		long wanted = this.target.room() - this.outstanding;
		if (wanted > 0) {
			this.outstanding += wanted;
			this.subscription.request(wanted);
		}
	}

}
