//! Photos residents attach: checked by their bytes (never their name), decoded within limits
//! that stop decompression bombs, shrunk to the longest side the contract allows, and
//! re-encoded as JPEG, which leaves EXIF (and any GPS position in it) behind.

use std::io::Cursor;

use api::limits::{PHOTO_MAX_DECODED_PIXELS, PHOTO_MAX_SIDE_PX};
use image::{ImageFormat, ImageReader, Limits};

/// Why a photo was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PhotoError {
    /// The bytes are not a JPEG, PNG or WebP image, whatever the file is called.
    #[error("not a JPEG, PNG or WebP image")]
    NotAnImage,
    /// The image has more pixels than the server agrees to decode.
    #[error("too many pixels")]
    TooManyPixels,
    /// The image claims to be one but cannot be decoded.
    #[error("the image cannot be decoded")]
    Corrupt,
}

/// A photo ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Processed {
    /// The JPEG bytes.
    pub jpeg: Vec<u8>,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

/// Checks, decodes, shrinks and re-encodes `bytes`.
pub fn process(bytes: &[u8]) -> Result<Processed, PhotoError> {
    let format = image::guess_format(bytes).map_err(|_| PhotoError::NotAnImage)?;
    if !matches!(
        format,
        ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP
    ) {
        return Err(PhotoError::NotAnImage);
    }
    if format == ImageFormat::Jpeg && !jpeg_is_complete(bytes) {
        // The decoder would fill the missing part with grey: a cut-off upload, refused.
        return Err(PhotoError::Corrupt);
    }
    let (width, height) = ImageReader::with_format(Cursor::new(bytes), format)
        .into_dimensions()
        .map_err(|_| PhotoError::Corrupt)?;
    if u64::from(width) * u64::from(height) > PHOTO_MAX_DECODED_PIXELS {
        return Err(PhotoError::TooManyPixels);
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(width);
    limits.max_image_height = Some(height);
    limits.max_alloc = Some(PHOTO_MAX_DECODED_PIXELS * 4 + (16 << 20));
    reader.limits(limits);
    let mut image = reader.decode().map_err(|_| PhotoError::Corrupt)?;
    if width.max(height) > PHOTO_MAX_SIDE_PX {
        // Averaging areas in integers: no working copy the size of the original in floats
        // (a filtered resize of 6000 × 6000 RGBA took another ~150 MB).
        image = image.thumbnail(PHOTO_MAX_SIDE_PX, PHOTO_MAX_SIDE_PX);
    }
    let rgb = image.to_rgb8();
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 85)
        .encode_image(&rgb)
        .map_err(|_| PhotoError::Corrupt)?;
    Ok(Processed {
        jpeg,
        width: rgb.width(),
        height: rgb.height(),
    })
}

/// Whether a JPEG's last scan is followed by its end marker (`FF D9`). In the compressed
/// data a `FF` byte is always followed by `00` or a restart marker, so the end marker after
/// the last scan's start (`FF DA`) is the real one; a file cut short has none.
fn jpeg_is_complete(bytes: &[u8]) -> bool {
    let Some(last_scan) = bytes.windows(2).rposition(|w| w == [0xFF, 0xDA]) else {
        return false;
    };
    bytes[last_scan..].windows(2).any(|w| w == [0xFF, 0xD9])
}

/// Moves into the database the photos uploaded before photos were kept there: each file
/// `uploads/<id>.jpg` under `data_dir` whose row has no JPEG is stored in its row and then
/// deleted. Returns how many moved; a missing file is left for the day its upload expires
/// (its case's page never named it). Run at start-up and before a backup or a copy.
pub async fn adopt_files(
    store: &dyn crate::storage::Store,
    data_dir: &std::path::Path,
) -> Result<usize, String> {
    let ids = store
        .uploads_without_jpeg()
        .await
        .map_err(|e| format!("listing uploads: {e}"))?;
    let mut moved = 0;
    for id in ids {
        let file = data_dir.join("uploads").join(format!("{id}.jpg"));
        let Ok(jpeg) = tokio::fs::read(&file).await else {
            continue;
        };
        store
            .set_upload_jpeg(&id, &jpeg)
            .await
            .map_err(|e| format!("storing {}: {e}", file.display()))?;
        let _ = tokio::fs::remove_file(&file).await;
        moved += 1;
    }
    Ok(moved)
}

#[cfg(test)]
mod tests {
    use super::test_images::jpeg_with_gps;
    use super::*;

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn exif_and_gps_are_gone_after_reencoding() {
        let original = jpeg_with_gps();
        assert!(contains(&original, b"Exif") && contains(&original, b"GPSLatitude"));
        let processed = process(&original).unwrap();
        assert!(!contains(&processed.jpeg, b"Exif"));
        assert!(!contains(&processed.jpeg, b"GPSLatitude"));
        assert_eq!((processed.width, processed.height), (64, 48));
        assert_eq!(
            image::guess_format(&processed.jpeg).unwrap(),
            ImageFormat::Jpeg
        );
    }

    #[test]
    fn only_jpeg_png_and_webp_bytes_are_accepted_whatever_the_name() {
        let mut png = Vec::new();
        image::RgbImage::new(10, 10)
            .write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
            .unwrap();
        assert!(process(&png).is_ok());
        let gif = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;";
        assert_eq!(process(gif), Err(PhotoError::NotAnImage));
        assert_eq!(
            process(b"<?php echo 'not a photo'; ?>"),
            Err(PhotoError::NotAnImage)
        );
        assert_eq!(
            process(b"\xFF\xD8\xFF\xE0 truncated jpeg"),
            Err(PhotoError::Corrupt)
        );
    }

    #[test]
    fn cut_off_images_are_refused() {
        let image = image::RgbImage::from_fn(200, 150, |x, y| image::Rgb([x as u8, y as u8, 90]));
        let mut jpeg = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90)
            .encode_image(&image)
            .unwrap();
        let mut png = Vec::new();
        image
            .write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
            .unwrap();
        assert!(process(&jpeg).is_ok() && process(&png).is_ok());
        // Cut at the half, and a JPEG just before its end marker; a trailer after it is fine.
        for (name, whole, cuts) in [
            ("jpeg", &jpeg, [jpeg.len() / 2, jpeg.len() - 2]),
            ("png", &png, [png.len() / 2, png.len() / 3]),
        ] {
            for cut in cuts {
                assert_eq!(
                    process(&whole[..cut]),
                    Err(PhotoError::Corrupt),
                    "{name} cut at {cut} of {}",
                    whole.len()
                );
            }
        }
        let mut trailer = jpeg.clone();
        trailer.extend_from_slice(b"vendor trailer");
        assert!(process(&trailer).is_ok());
    }

    #[test]
    fn large_photos_are_shrunk_and_bombs_refused() {
        let big = image::RgbImage::new(3200, 1000);
        let mut png = Vec::new();
        big.write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
            .unwrap();
        let processed = process(&png).unwrap();
        assert_eq!((processed.width, processed.height), (1600, 500));
        // A PNG header announcing 20000 x 20000 pixels is refused before decoding.
        let mut bomb = Vec::new();
        image::GrayImage::new(1, 1)
            .write_to(&mut Cursor::new(&mut bomb), ImageFormat::Png)
            .unwrap();
        bomb[16..20].copy_from_slice(&20_000u32.to_be_bytes());
        bomb[20..24].copy_from_slice(&20_000u32.to_be_bytes());
        assert!(matches!(
            process(&bomb),
            Err(PhotoError::TooManyPixels | PhotoError::Corrupt)
        ));
    }
}

/// Images for tests, here so the integration tests can use them too.
#[doc(hidden)]
pub mod test_images {
    /// A small JPEG with an EXIF segment that holds GPS coordinates, as phones write them.
    pub fn jpeg_with_gps() -> Vec<u8> {
        let image =
            image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([x as u8 * 4, y as u8 * 5, 128]));
        let mut plain = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut plain, 90)
            .encode_image(&image)
            .unwrap();
        // APP1 "Exif" segment with a tiny TIFF body naming a GPS IFD; the marker text is
        // what a stored copy must not contain.
        let tiff: &[u8] = b"MM\x00\x2a\x00\x00\x00\x08\x00\x01\x88\x25\x00\x04\x00\x00\x00\x01\x00\x00\x00\x1aGPSLatitude30.6598N104.0633E";
        let mut segment = b"Exif\x00\x00".to_vec();
        segment.extend_from_slice(tiff);
        let length = (segment.len() + 2) as u16;
        let mut out = plain[..2].to_vec();
        out.extend_from_slice(&[0xFF, 0xE1]);
        out.extend_from_slice(&length.to_be_bytes());
        out.extend_from_slice(&segment);
        out.extend_from_slice(&plain[2..]);
        out
    }
}
