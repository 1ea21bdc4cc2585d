import workletUrl from './worklet.ts?worker&url';
import { LISTEN_PROCESSOR } from './protocol.ts';
import type { ListenProcessorOptions } from './protocol.ts';

/**
 * Where the sound comes from: an input through getUserMedia (the device, a channel or a pair of a
 * multichannel interface; echo cancellation, noise suppression and automatic gain off, so the
 * levels are the sound's own) on an audio context of its own, or the symphony as this window
 * hears it (a tap on Tone's destination, on the symphony's context). Either way the sound goes
 * into the listening worklet and nowhere else (nothing is played back).
 */

export interface ListenInput {
  id: string;
  label: string;
  channels: number;
}

/** Something that stops the listening with a calm reason (a refused permission, no device...). */
export class ListenRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ListenRefusedError';
  }
}

export interface OpenedSource {
  node: AudioWorkletNode;
  sampleRate: number;
  /** Called when the device goes away mid-show (unplugged, revoked). */
  onEnded(fn: () => void): void;
  close(): void;
}

const mediaDevices = (): MediaDevices => {
  if (!window.isSecureContext || !navigator.mediaDevices?.getUserMedia) throw new ListenRefusedError('listening needs a secure page (https or localhost): the browser offers no microphone here');
  return navigator.mediaDevices;
};

const channelsOf = (d: MediaDeviceInfo): number => {
  const caps = (d as Partial<InputDeviceInfo>).getCapabilities?.() as { channelCount?: { max?: number } } | undefined;
  return Math.max(1, caps?.channelCount?.max ?? 2);
};

export const listInputs = async (): Promise<ListenInput[]> => {
  const devices = await mediaDevices().enumerateDevices();
  return devices.filter((d) => d.kind === 'audioinput').map((d, i) => ({ id: d.deviceId, label: d.label || `input ${i + 1}`, channels: channelsOf(d) }));
};

const refusal = (err: unknown, device: string | undefined): ListenRefusedError => {
  const name = (err as DOMException | null)?.name ?? '';
  if (name === 'NotAllowedError' || name === 'SecurityError') return new ListenRefusedError('the microphone was refused: allow it for this site in the browser to listen');
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return new ListenRefusedError(device ? `no input "${device}" (unplugged?): pick another` : 'no sound input is connected');
  if (name === 'NotReadableError' || name === 'AbortError') return new ListenRefusedError('the sound input is busy or failed to start (another program may hold it)');
  return new ListenRefusedError(`the sound input could not be opened (${(err as Error).message})`);
};

/** Channels as musicians count them (1-based), one or a pair: the processor's 0-based list. */
export const pickChannels = (channel: number | [number, number] | undefined): number[] => (channel === undefined ? [] : (Array.isArray(channel) ? channel : [channel]).map((c) => c - 1));

const processorOptions = (channels: number[], trim: number): AudioWorkletNodeOptions => ({
  numberOfInputs: 1,
  numberOfOutputs: 0,
  channelCountMode: 'explicit',
  channelInterpretation: 'discrete',
  channelCount: Math.max(2, ...channels.map((c) => c + 1)),
  processorOptions: { channels, trim } satisfies ListenProcessorOptions,
});

export const openInput = async (o: { device?: string; channel?: number | [number, number]; trim: number }): Promise<OpenedSource> => {
  const devices = mediaDevices();
  const channels = pickChannels(o.channel);
  let stream: MediaStream;
  try {
    stream = await devices.getUserMedia({
      audio: {
        ...(o.device ? { deviceId: { exact: o.device } } : {}),
        echoCancellation: false,
        noiseSuppression: false,
        autoGainControl: false,
        channelCount: { ideal: Math.max(1, ...channels.map((c) => c + 1)) },
      },
    });
  } catch (err) {
    throw refusal(err, o.device);
  }
  const context = new AudioContext({ latencyHint: 'interactive' });
  try {
    await context.audioWorklet.addModule(workletUrl);
    const source = context.createMediaStreamSource(stream);
    const node = new AudioWorkletNode(context, LISTEN_PROCESSOR, processorOptions(channels, o.trim));
    source.connect(node);
    await context.resume();
    return {
      node,
      sampleRate: context.sampleRate,
      onEnded: (fn) => {
        for (const track of stream.getAudioTracks()) track.addEventListener('ended', fn);
      },
      close: () => {
        source.disconnect();
        node.port.postMessage({ stop: true });
        for (const track of stream.getTracks()) track.stop();
        void context.close();
      },
    };
  } catch (err) {
    for (const track of stream.getTracks()) track.stop();
    void context.close();
    throw new ListenRefusedError(`the listening analysis could not start (${(err as Error).message})`);
  }
};

/** The symphony as this window hears it: a tap on Tone's destination into the worklet. */
export const openSymphony = async (trim: number): Promise<OpenedSource> => {
  const Tone = await import('tone');
  const context = Tone.getContext();
  await context.addAudioWorkletModule(workletUrl);
  const node = context.createAudioWorkletNode(LISTEN_PROCESSOR, processorOptions([0, 1], trim));
  const destination = Tone.getDestination();
  destination.connect(node);
  return {
    node,
    sampleRate: context.sampleRate,
    onEnded: () => undefined,
    close: () => {
      destination.disconnect(node);
      node.port.postMessage({ stop: true });
    },
  };
};
