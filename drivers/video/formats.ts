// The three formats by protocol name.
import { axxonFormat } from './axxon/codec';
import type { VideoFormat, VideoProtocol } from './format';
import { textfeedFormat } from './textfeed/codec';
import { trassirFormat } from './trassir/codec';

export const VIDEO_FORMATS: Record<VideoProtocol, VideoFormat> = {
  trassir: trassirFormat,
  axxon: axxonFormat,
  textfeed: textfeedFormat,
};
