package io.github.ssestarter.sample;

import io.github.ssestarter.SseBroadcaster;
import io.github.ssestarter.SseItem;
import io.github.ssestarter.SseSubscription;
import jakarta.validation.Valid;

import org.springframework.http.HttpStatus;
import org.springframework.security.provisioning.UserDetailsManager;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Notifications for signed-in users (see {@link SecurityConfiguration}): one addressed to a user
 * reaches only that user's connections, live and replayed; one without reaches every subscriber.
 * The broadcaster knows each subscriber's user from the request's principal.
 */
@RestController
class NotificationController {

	static final String TOPIC = "notifications";

	private final SseBroadcaster broadcaster;

	private final UserDetailsManager users;

	NotificationController(SseBroadcaster broadcaster, UserDetailsManager users) {
		this.broadcaster = broadcaster;
		this.users = users;
	}

	@GetMapping("/api/notifications/stream")
	SseSubscription stream() {
		return this.broadcaster.subscribe(TOPIC);
	}

	@PostMapping("/api/notifications")
	@ResponseStatus(HttpStatus.ACCEPTED)
	Published send(@Valid @RequestBody SendNotification request) {
		Notification notification = new Notification(request.message(), request.to());
		SseItem<Notification> item = SseItem.of("notification", notification);
		if (request.to() == null) {
			return new Published(this.broadcaster.publish(TOPIC, item));
		}
		if (!this.users.userExists(request.to())) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "No user '" + request.to() + "'");
		}
		return new Published(this.broadcaster.publishToUser(TOPIC, request.to(), item));
	}

}
