package io.github.ssestarter.sample;

import io.github.ssestarter.SseBroadcaster;
import io.github.ssestarter.SseItem;
import io.github.ssestarter.SseSubscription;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * A log tail: each posted text becomes one {@code log} event whose data is the text as is, not
 * JSON. Multi-line text travels as one event of several {@code data:} lines; clients join them with
 * LF, so a CRLF in the text arrives as LF.
 */
@RestController
class LogController {

	static final String TOPIC = "logs";

	private final SseBroadcaster broadcaster;

	LogController(SseBroadcaster broadcaster) {
		this.broadcaster = broadcaster;
	}

	@GetMapping("/api/logs/stream")
	SseSubscription stream() {
		return this.broadcaster.subscribe(TOPIC);
	}

	@PostMapping(path = "/api/logs", consumes = MediaType.TEXT_PLAIN_VALUE)
	@ResponseStatus(HttpStatus.ACCEPTED)
	Published append(@RequestBody @Size(max = 10_000) String text) {
		return new Published(this.broadcaster.publish(TOPIC, SseItem.of("log", text)));
	}

}
