package io.github.ssestarter.sample;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/**
 * A request to send a notification.
 *
 * @param to the user it is for; absent or blank for every signed-in user
 * @param message what it says
 */
public record SendNotification(@Nullable String to, @NotBlank @Size(max = 500) String message) {

	public SendNotification {
		to = (to == null || to.isBlank()) ? null : to.strip();
	}

}
