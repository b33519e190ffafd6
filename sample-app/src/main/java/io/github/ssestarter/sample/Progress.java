package io.github.ssestarter.sample;

/**
 * How far a job has got, the data of each {@code progress} event.
 *
 * @param percent from 0 to 100
 * @param status {@code running}, or {@code done} at 100
 */
public record Progress(int percent, String status) {

	static Progress of(int percent) {
		return new Progress(percent, (percent < 100) ? "running" : "done");
	}

	boolean done() {
		return this.percent >= 100;
	}

}
