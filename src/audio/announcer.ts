// Day-and-time stamps, spoken ahead of time: the stamp for the message under
// the cursor is rendered while the user is still looking at the list, so
// pressing play starts the player at once instead of waiting for the speech
// program.
import type {Speech} from './speech.js';

export class Announcer {
	private readonly rendered = new Map<string, Promise<string | undefined>>();

	constructor(private readonly speech: Speech) {}

	/** The stamp's WAV file (rendered once per text), or undefined without a speech program. */
	prepare(text: string): Promise<string | undefined> {
		let file = this.rendered.get(text);
		if (!file) {
			file = this.speech.render(text);
			this.rendered.set(text, file);
			// A long session renders many stamps; old ones are simply forgotten
			// (their files go when the session ends).
			if (this.rendered.size > 50) {
				this.rendered.delete(this.rendered.keys().next().value!);
			}
		}

		return file;
	}

	async dispose(): Promise<void> {
		await this.speech.dispose();
	}
}
